/* The tracker's own ECharts build: only what static/js/charts.js draws (line and bar charts on a
 * grid, with tooltip, legend and the accessibility description, on a canvas so that each chart can
 * be saved as a PNG image). The Makefile bundles it with esbuild from the npm packages in
 * package-lock.json into build/static/ (never committed); the pages load it as
 * vendor/echarts/echarts.min.js, which sets window.echarts as the full bundle does. */
import { init, use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridSimpleComponent, LegendScrollComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([LineChart, BarChart, GridSimpleComponent, TooltipComponent, LegendScrollComponent, AriaComponent, CanvasRenderer]);

window.echarts = { init: init };
