"""Wire models: the OpenAI Images API shapes (and imagegate's extensions). Nothing else."""
