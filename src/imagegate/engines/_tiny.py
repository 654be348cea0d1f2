"""Tiny random diffusers pipelines shaped like SD-Turbo, SDXL-Turbo and FLUX.1-schnell.

For tests and benchmarks on machines without weights or a model hub: real pipeline classes and
code paths, with a few hundred thousand to a few million random parameters (seeded, so every
build is the same). The VAE has four blocks, so latents are 1/8 of the image like the real
models'. Tokenizers are read from a directory holding `clip/vocab.json`, `clip/merges.txt` and
`t5/tokenizer.json` (the repository ships them under tests/fixtures/tokenizers).

    pipe = build_tiny_pipeline("sd", Path("tests/fixtures/tokenizers"))
    pipe.save_pretrained(directory)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

KINDS = ("sd", "sdxl", "flux")


def _clip_tokenizer(tokenizers: Path) -> Any:
    from transformers import CLIPTokenizer

    return CLIPTokenizer.from_pretrained(str(tokenizers / "clip"), model_max_length=77)


def _t5_tokenizer(tokenizers: Path) -> Any:
    from transformers import T5TokenizerFast

    return T5TokenizerFast(
        tokenizer_file=str(tokenizers / "t5" / "tokenizer.json"),
        eos_token="</s>", unk_token="<unk>", pad_token="<pad>", extra_ids=0, model_max_length=512,
    )


def _clip_config(tok: Any, **extra: Any) -> Any:
    from transformers import CLIPTextConfig

    return CLIPTextConfig(
        vocab_size=len(tok), hidden_size=32, intermediate_size=37, num_attention_heads=4,
        num_hidden_layers=2, max_position_embeddings=77, projection_dim=32, hidden_act="gelu",
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, **extra,
    )


def _vae(latent_channels: int = 4, **extra: Any) -> Any:
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        block_out_channels=[32, 32, 64, 64], down_block_types=["DownEncoderBlock2D"] * 4,
        up_block_types=["UpDecoderBlock2D"] * 4, latent_channels=latent_channels, layers_per_block=1,
        norm_num_groups=16, sample_size=128, **extra,
    )


def build_sd(tokenizers: Path) -> Any:
    """SD-Turbo-shaped: one CLIP encoder, a cross-attention UNet, Euler with trailing spacing."""
    import torch
    from diffusers import (
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextModel

    tok = _clip_tokenizer(tokenizers)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=16, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32, attention_head_dim=8, norm_num_groups=16,
    )
    torch.manual_seed(0)
    vae = _vae()
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(_clip_config(tok))
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", timestep_spacing="trailing", steps_offset=1,
    )
    return StableDiffusionPipeline(
        vae=vae, text_encoder=text_encoder, tokenizer=tok, unet=unet, scheduler=scheduler,
        safety_checker=None, feature_extractor=None, requires_safety_checker=False,
    )


def build_sdxl(tokenizers: Path) -> Any:
    """SDXL-Turbo-shaped: two CLIP encoders (one with projection), text-time conditioning, Euler ancestral."""
    import torch
    from diffusers import (
        EulerAncestralDiscreteScheduler,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    tok = _clip_tokenizer(tokenizers)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=16, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4), use_linear_projection=True, addition_embed_type="text_time",
        addition_time_embed_dim=8, transformer_layers_per_block=(1, 2),
        projection_class_embeddings_input_dim=80,  # 6 time ids x 8 + the pooled 32
        cross_attention_dim=64, norm_num_groups=16,
    )
    torch.manual_seed(0)
    vae = _vae()
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(_clip_config(tok))
    torch.manual_seed(0)
    text_encoder_2 = CLIPTextModelWithProjection(_clip_config(tok))
    scheduler = EulerAncestralDiscreteScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", timestep_spacing="trailing", steps_offset=1,
    )
    return StableDiffusionXLPipeline(
        vae=vae, text_encoder=text_encoder, text_encoder_2=text_encoder_2, tokenizer=tok, tokenizer_2=_clip_tokenizer(tokenizers),
        unet=unet, scheduler=scheduler, force_zeros_for_empty_prompt=True,
    )


def build_flux(tokenizers: Path) -> Any:
    """FLUX.1-schnell-shaped: CLIP + T5 encoders, an MM-DiT transformer, 16-channel-style packed latents."""
    import torch
    from diffusers import (
        FlowMatchEulerDiscreteScheduler,
        FluxPipeline,
        FluxTransformer2DModel,
    )
    from transformers import CLIPTextModel, T5Config, T5EncoderModel

    tok = _clip_tokenizer(tokenizers)
    tok2 = _t5_tokenizer(tokenizers)
    torch.manual_seed(0)
    transformer = FluxTransformer2DModel(
        patch_size=1, in_channels=16, num_layers=1, num_single_layers=1, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=32, pooled_projection_dim=32, axes_dims_rope=[4, 4, 8],
        guidance_embeds=False,
    )
    torch.manual_seed(0)
    vae = _vae(latent_channels=4, use_quant_conv=False, use_post_quant_conv=False, shift_factor=0.0609, scaling_factor=1.5035)
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(_clip_config(tok))
    torch.manual_seed(0)
    text_encoder_2 = T5EncoderModel(T5Config(
        vocab_size=len(tok2), d_model=32, d_ff=37, d_kv=8, num_layers=2, num_heads=4,
        relative_attention_num_buckets=8, feed_forward_proj="gated-gelu", pad_token_id=0, eos_token_id=1,
        decoder_start_token_id=0,
    ))
    scheduler = FlowMatchEulerDiscreteScheduler(shift=1.0, use_dynamic_shifting=False)
    return FluxPipeline(
        scheduler=scheduler, vae=vae, text_encoder=text_encoder, tokenizer=tok, text_encoder_2=text_encoder_2,
        tokenizer_2=tok2, transformer=transformer,
    )


def build_tiny_pipeline(kind: str, tokenizers: Path) -> Any:
    """A tiny random pipeline of `kind` ("sd", "sdxl" or "flux")."""
    builders = {"sd": build_sd, "sdxl": build_sdxl, "flux": build_flux}
    if kind not in builders:
        raise ValueError(f"unknown tiny pipeline kind {kind!r}; use one of {', '.join(KINDS)}")
    return builders[kind](Path(tokenizers))


def save_tiny_pipeline(kind: str, tokenizers: Path, directory: Path) -> Path:
    """Build a tiny pipeline and `save_pretrained` it into `directory`."""
    pipe = build_tiny_pipeline(kind, tokenizers)
    pipe.save_pretrained(str(directory))
    return Path(directory)
