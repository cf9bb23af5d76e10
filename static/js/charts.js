/* Charts over time for the Soft-Law Tracker, drawn with Apache ECharts (served by the project
 * from the npm package, never from a CDN).
 *
 * Each <figure data-chart="ID"> names a <script type="application/json" id="ID"> holding
 * {kind, title, filename, categories, series: [{name, data, dashed}], yName}. The page prints the
 * same figures in a table beside the chart, so nothing here is needed to read them: this file only
 * draws the picture and offers it as an image. No inline code, so a strict Content-Security-Policy
 * can forbid inline scripts.
 *
 * ECharts (the project's own build, ~550 KB) is fetched only when the first chart comes near the
 * screen: a reader who never scrolls to the charts, on a phone, neither downloads nor runs it. Its
 * address is the data-echarts attribute of this file's <script> element.
 */
(function () {
  "use strict";

  // Okabe–Ito: a palette readers with colour-vision deficiencies can tell apart. Each series also
  // gets its own marker shape, so lines differ by more than colour.
  var PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
  var SYMBOLS = ["circle", "rect", "triangle", "diamond", "pin", "arrow", "roundRect", "emptyCircle"];

  document.documentElement.classList.add("js");

  function option(data) {
    var isBar = data.kind === "bar";
    return {
      aria: { enabled: true, label: { description: data.title + " (chart; the table below gives the same figures)" } },
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: "system-ui, sans-serif" },
      grid: { left: 48, right: 16, top: isBar ? 24 : 56, bottom: isBar ? 64 : 40, containLabel: false },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "no data" : v; } },
      legend: isBar ? { show: false } : { type: "scroll", top: 0 },
      xAxis: {
        type: "category",
        data: data.categories,
        axisLabel: isBar ? { interval: 0, rotate: 20, fontSize: 11 } : {}
      },
      yAxis: { type: "value", name: data.yName, nameGap: 12, min: 0 },
      series: data.series.map(function (s, i) {
        return isBar
          ? { type: "bar", name: s.name, data: s.data, itemStyle: { color: PALETTE[0] }, label: { show: true, position: "top" } }
          : {
              type: "line",
              name: s.name,
              data: s.data,
              connectNulls: false,
              symbol: SYMBOLS[i % SYMBOLS.length],
              symbolSize: 7,
              lineStyle: { width: 2, type: s.dashed ? "dashed" : "solid" }
            };
      })
    };
  }

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var canvas = figure.querySelector(".chart-canvas");
    if (!source || !canvas || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
    chart.setOption(option(data));
    figure.setAttribute("data-chart-ready", "true");

    var button = figure.querySelector(".chart-download");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var link = document.createElement("a");
        link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
        link.download = (data.filename || "chart") + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  var own = document.currentScript;

  function drawAll(figures) {
    figures.forEach(draw);
  }

  function loadThenDraw(figures) {
    var script = document.createElement("script");
    script.src = own.getAttribute("data-echarts");
    script.addEventListener("load", function () { drawAll(figures); });
    document.head.appendChild(script);
  }

  function start() {
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure[data-chart]"));
    if (!figures.length) {
      return;
    }
    if (typeof window.echarts !== "undefined") {
      drawAll(figures);
    } else if (!("IntersectionObserver" in window)) {
      loadThenDraw(figures);
    } else {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          loadThenDraw(figures);
        }
      }, { rootMargin: "400px 0px" });
      figures.forEach(function (figure) { observer.observe(figure); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
