// The mask painter: a canvas the size of the image, laid over it. What the user paints is the
// area to change. The mask sent to /v1/images/edits follows OpenAI's convention: a PNG the
// size of the image, opaque everywhere except where the user painted (alpha 0 = may change).

const MAX_UNDO = 30;

export class MaskEditor {
  constructor(canvas, onChange = () => {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.tool = 'brush';
    this.size = 48;
    this.enabled = false;
    this.undoStack = [];
    this.redoStack = [];
    this.painted = false;
    this.onChange = onChange;
    this.last = null;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) canvas.addEventListener(type, () => this.up());
  }

  reset(width, height) {
    this.canvas.width = width;
    this.canvas.height = height;
    this.undoStack = [];
    this.redoStack = [];
    this.painted = false;
    this.onChange();
  }

  point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * this.canvas.width,
      y: ((e.clientY - rect.top) / rect.height) * this.canvas.height,
    };
  }

  snapshot() {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  down(e) {
    if (!this.enabled || e.button > 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.undoStack.push(this.snapshot());
    if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    this.redoStack = [];
    this.last = this.point(e);
    this.stroke(this.last, this.last);
  }

  move(e) {
    if (!this.last) return;
    e.preventDefault();
    const p = this.point(e);
    this.stroke(this.last, p);
    this.last = p;
  }

  up() {
    if (!this.last) return;
    this.last = null;
    this.painted = this.hasPaint();
    this.onChange();
  }

  stroke(a, b) {
    const ctx = this.ctx;
    const scale = this.canvas.width / Math.max(1, this.canvas.getBoundingClientRect().width);
    ctx.globalCompositeOperation = this.tool === 'eraser' ? 'destination-out' : 'source-over';
    ctx.strokeStyle = 'rgb(255, 40, 110)';
    ctx.lineWidth = this.size * scale;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x + 0.01, b.y);
    ctx.stroke();
  }

  hasPaint() {
    const data = this.snapshot().data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
    return false;
  }

  undo() {
    if (!this.undoStack.length) return false;
    this.redoStack.push(this.snapshot());
    this.ctx.putImageData(this.undoStack.pop(), 0, 0);
    this.painted = this.hasPaint();
    this.onChange();
    return true;
  }

  redo() {
    if (!this.redoStack.length) return false;
    this.undoStack.push(this.snapshot());
    this.ctx.putImageData(this.redoStack.pop(), 0, 0);
    this.painted = this.hasPaint();
    this.onChange();
    return true;
  }

  clear() {
    if (!this.painted) return;
    this.undoStack.push(this.snapshot());
    this.redoStack = [];
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.painted = false;
    this.onChange();
  }

  /** The mask PNG: opaque white, alpha 0 where painted. */
  toBlob() {
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const ctx = out.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.globalCompositeOperation = 'destination-out';
    ctx.drawImage(this.canvas, 0, 0);
    return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
  }
}
