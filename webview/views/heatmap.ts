/**
 * A reusable heatmap on a canvas (thousands of cells redraw in well under a frame), d3-component style:
 * configure with chainable setters, then call with a container and the grid. Values are plain numbers;
 * NaN cells stay empty. Rows are drawn top to bottom, columns left to right.
 */

export interface Grid {
  /** rows[r][c]; rows may differ in length (variable sequence lengths). */
  readonly rows: readonly (readonly number[])[];
}

export interface Heatmap {
  (container: HTMLElement, grid: Grid): void;
  /** Maps a value to [0, 1] along the colour ramp. */
  domain(lo: number, hi: number): Heatmap;
  /** Colour at 0 and at 1, as CSS colours (read from the theme). */
  colors(low: string, high: string, mid?: string): Heatmap;
  cellSize(width: number, height: number): Heatmap;
  onHover(fn: (cell: { row: number; col: number; value: number } | null) => void): Heatmap;
  onClick(fn: (cell: { row: number; col: number }) => void): Heatmap;
  /** Column to outline (the focused time step), or null. */
  focus(col: number | null): Heatmap;
}

const parsed = new Map<string, [number, number, number]>();
let scratch: CanvasRenderingContext2D | null = null;

/** CSS colour → RGB through a canvas (which understands every CSS colour syntax), cached. */
function parse(color: string): [number, number, number] {
  const hit = parsed.get(color);
  if (hit) return hit;
  const rgb = parseUncached(color);
  parsed.set(color, rgb);
  return rgb;
}

function parseUncached(color: string): [number, number, number] {
  scratch ??= document.createElement('canvas').getContext('2d');
  const ctx = scratch;
  if (!ctx) return [128, 128, 128];
  ctx.fillStyle = '#808080';
  ctx.fillStyle = color.trim() || '#808080';
  const hex = ctx.fillStyle;
  if (hex.startsWith('#')) return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
  const m = /(\d+),\s*(\d+),\s*(\d+)/.exec(hex);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
}

function mix(a: [number, number, number], b: [number, number, number], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Steps of the colour ramp: a lookup table, so drawing a cell allocates nothing. */
const RAMP = 256;
const ramps = new Map<string, Uint8ClampedArray>();

function ramp(low: [number, number, number], high: [number, number, number], mid: [number, number, number] | null): Uint8ClampedArray {
  const key = `${low}|${high}|${mid}`;
  let lut = ramps.get(key);
  if (!lut) {
    lut = new Uint8ClampedArray(RAMP * 3);
    for (let k = 0; k < RAMP; k++) {
      const t = k / (RAMP - 1);
      lut.set(mid ? (t < 0.5 ? mix(low, mid, t * 2) : mix(mid, high, t * 2 - 1)) : mix(low, high, t), k * 3);
    }
    ramps.set(key, lut);
  }
  return lut;
}

export function heatmap(): Heatmap {
  let lo = 0;
  let hi = 1;
  let low: [number, number, number] = [0, 0, 0];
  let high: [number, number, number] = [255, 255, 255];
  let mid: [number, number, number] | null = null;
  let cellW = 6;
  let cellH = 6;
  let hover: (cell: { row: number; col: number; value: number } | null) => void = () => undefined;
  let click: (cell: { row: number; col: number }) => void = () => undefined;
  let focused: number | null = null;

  const draw = ((container: HTMLElement, grid: Grid) => {
    // The canvas and the focus outline share a positioned wrapper, so placing the outline needs no
    // layout reads (reading offsets in a redraw forces a synchronous reflow of the whole page).
    let plot = container.querySelector<HTMLDivElement>('.heatmap-plot');
    if (!plot) {
      plot = document.createElement('div');
      plot.className = 'heatmap-plot';
      container.appendChild(plot);
    }
    let canvas = plot.querySelector('canvas');
    if (!canvas) {
      canvas = document.createElement('canvas');
      canvas.className = 'heatmap-canvas';
      plot.appendChild(canvas);
    }
    const rows = grid.rows.length;
    const cols = Math.max(1, ...grid.rows.map((r) => r.length));
    canvas.width = cols;
    canvas.height = Math.max(1, rows);
    canvas.style.width = `${cols * cellW}px`;
    canvas.style.height = `${Math.max(1, rows) * cellH}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = imageFor(ctx, cols, Math.max(1, rows));
    image.data.fill(0);
    const span = hi - lo || 1;
    const lut = ramp(low, high, mid);
    const data = image.data;
    for (let r = 0; r < grid.rows.length; r++) {
      const row = grid.rows[r];
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (!Number.isFinite(v)) continue;
        const k = Math.round(Math.min(1, Math.max(0, (v - lo) / span)) * (RAMP - 1)) * 3;
        const i = (r * cols + c) * 4;
        data[i] = lut[k];
        data[i + 1] = lut[k + 1];
        data[i + 2] = lut[k + 2];
        data[i + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    let outline = plot.querySelector<HTMLDivElement>('.heatmap-focus');
    if (!outline) {
      outline = document.createElement('div');
      outline.className = 'heatmap-focus';
      plot.appendChild(outline);
    }
    outline.hidden = focused === null || focused >= cols;
    if (focused !== null) {
      outline.style.left = `${focused * cellW}px`;
      outline.style.width = `${cellW}px`;
      outline.style.height = `${Math.max(1, rows) * cellH}px`;
    }
    const at = (event: MouseEvent) => {
      const rect = canvas!.getBoundingClientRect();
      const col = Math.floor(((event.clientX - rect.left) / rect.width) * cols);
      const row = Math.floor(((event.clientY - rect.top) / rect.height) * Math.max(1, rows));
      return { row, col };
    };
    // Bind the callbacks as they are now: one component may draw several grids with different ones.
    const onHover = hover;
    const onClick = click;
    canvas.onmousemove = (event) => {
      const { row, col } = at(event);
      const value = grid.rows[row]?.[col];
      onHover(value === undefined ? null : { row, col, value });
    };
    canvas.onmouseleave = () => onHover(null);
    canvas.onclick = (event) => onClick(at(event));
  }) as Heatmap;

  draw.domain = (a, b) => { lo = a; hi = b; return draw; };
  draw.colors = (a, b, m) => { low = parse(a); high = parse(b); mid = m ? parse(m) : null; return draw; };
  draw.cellSize = (w, h) => { cellW = w; cellH = h; return draw; };
  draw.onHover = (fn) => { hover = fn; return draw; };
  draw.onClick = (fn) => { click = fn; return draw; };
  draw.focus = (col) => { focused = col; return draw; };
  return draw;
}

/** One ImageData per canvas, reused while its size holds: allocating one per redraw feeds the GC. */
const images = new WeakMap<CanvasRenderingContext2D, ImageData>();

function imageFor(ctx: CanvasRenderingContext2D, width: number, height: number): ImageData {
  const cached = images.get(ctx);
  if (cached && cached.width === width && cached.height === height) return cached;
  const image = ctx.createImageData(width, height);
  images.set(ctx, image);
  return image;
}

/**
 * Theme colours for canvas drawing, by CSS variable name. Reading a computed style forces a style
 * recalculation, so values are cached until VS Code changes the theme (it rewrites the variables on <html>
 * and the theme class on <body>).
 */
const themeColors = new Map<string, string>();
let watchingTheme = false;

export function themeColor(variable: string, fallback: string): string {
  if (!watchingTheme) {
    watchingTheme = true;
    const clear = () => themeColors.clear();
    const observer = new MutationObserver(clear);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }
  let value = themeColors.get(variable);
  if (value === undefined) {
    value = getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
    themeColors.set(variable, value);
  }
  return value;
}
