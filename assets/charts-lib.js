/* The tracker's own Chart.js build: only what static/js/charts.js draws (line and bar charts on
 * category and linear scales, with tooltip and legend, on a canvas so that each chart can be saved
 * as a PNG image). The Makefile bundles it with esbuild from the npm packages in package-lock.json
 * into build/static/ (never committed); the pages load it as vendor/chartjs/chart.min.js, which
 * sets window.Chart as Chart.js's own UMD bundle does. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip
} from "chart.js";

Chart.register(
  LineController,
  BarController,
  LineElement,
  BarElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend
);

window.Chart = Chart;
