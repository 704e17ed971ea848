import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';

// Only what these charts use, imported by name so the bundler leaves the
// rest of Chart.js out (a dynamic import of the whole package cannot be
// shaken: 71 KB gzip against this module's). Loaded by load.ts on demand.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend, Filler, MatrixController, MatrixElement);

export { Chart };
