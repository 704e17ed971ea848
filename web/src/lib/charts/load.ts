import type { Chart as ChartType, ChartConfiguration } from 'chart.js';

// Chart.js (canvas; MIT; maintained, ~29M weekly downloads) with
// chartjs-chart-matrix for the heat map. Chosen over LayerChart (Svelte 5
// native, but pulls pre-release @layerstack packages and expects Tailwind),
// ECharts (several times the size) and uPlot (time series only). It knows
// nothing of Svelte, so a small component owns each chart's life
// (ChartCanvas.svelte). Canvas is invisible to screen readers: every chart
// here has the same figures in a table beside it.
//
// Imported on demand, never statically: only the pages that draw a chart
// download it (the contacts pages do not; the build's chunks show it).
let loading: Promise<typeof ChartType> | null = null;

export function loadChart(): Promise<typeof ChartType> {
  loading ??= import('./registry').then((m) => m.Chart);
  return loading;
}

export type Config = ChartConfiguration;

// The app's colours (app.css custom properties), read when a chart is drawn
// so it follows the light or dark scheme.
export function palette() {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string) => style.getPropertyValue(name).trim();
  return { text: v('--text'), muted: v('--muted'), border: v('--border'), accent: v('--accent'), surface: v('--surface'), series: SERIES };
}

// Distinguishable in both schemes and for the common colour-vision
// deficiencies (Okabe–Ito).
const SERIES = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];
