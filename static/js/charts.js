/* Charts over time for the Soft-Law Tracker, drawn with Chart.js (served by the project from the
 * npm package, never from a CDN).
 *
 * Each <figure data-chart="ID"> names a <script type="application/json" id="ID"> holding
 * {kind, title, filename, categories, series: [{name, data, dashed}], yName}. The page prints the
 * same figures in a table beside the chart, so nothing here is needed to read them: this file only
 * draws the picture and offers it as an image. No inline code or style attribute in the markup, so
 * a strict Content-Security-Policy can forbid inline scripts and styles (Chart.js sizes its canvas
 * through the CSSOM, which the policy allows).
 *
 * Chart.js (the project's own build, ~175 KB) is fetched only when the first chart comes near the
 * screen: a reader who never scrolls to the charts, on a phone, neither downloads nor runs it. Its
 * address is the data-chart-library attribute of this file's <script> element.
 */
(function () {
  "use strict";

  // Okabe–Ito: a palette readers with colour-vision deficiencies can tell apart. Each series also
  // gets its own marker shape, so lines differ by more than colour.
  var PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
  var SHAPES = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded", "cross"];
  var TEXT = "#333333";
  var FONT = "system-ui, sans-serif";

  document.documentElement.classList.add("js");

  function shown(value) {
    return value === null || value === undefined ? "no data" : String(value);
  }

  // A white background under the chart, so that the downloaded PNG reads on any viewer (a canvas
  // is transparent where nothing is drawn).
  var whiteBackground = {
    id: "whiteBackground",
    beforeDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    }
  };

  // Each bar's value printed above it, as the table beside the chart prints it.
  var barValues = {
    id: "barValues",
    afterDatasetsDraw: function (chart) {
      if (chart.config.type !== "bar") {
        return;
      }
      var ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = TEXT;
      ctx.font = "11px " + FONT;
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      chart.data.datasets.forEach(function (dataset, i) {
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          var value = dataset.data[j];
          if (value !== null && value !== undefined) {
            ctx.fillText(String(value), bar.x, bar.y - 3);
          }
        });
      });
      ctx.restore();
    }
  };

  function config(data) {
    var isBar = data.kind === "bar";
    return {
      type: isBar ? "bar" : "line",
      data: {
        labels: data.categories,
        datasets: data.series.map(function (s, i) {
          var colour = isBar ? PALETTE[0] : PALETTE[i % PALETTE.length];
          return isBar
            ? { label: s.name, data: s.data, backgroundColor: colour, borderColor: colour }
            : {
                label: s.name,
                data: s.data,
                borderColor: colour,
                backgroundColor: colour,
                borderWidth: 2,
                borderDash: s.dashed ? [6, 4] : [],
                pointStyle: SHAPES[i % SHAPES.length],
                pointRadius: 4,
                pointHoverRadius: 6,
                spanGaps: false
              };
        })
      },
      plugins: [whiteBackground, barValues],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: TEXT,
        layout: { padding: { top: isBar ? 16 : 0, right: 8 } },
        interaction: { mode: "index", intersect: false },
        plugins: {
          // Each series' marker shape in the legend, as small as the markers on the lines.
          legend: {
            display: !isBar,
            position: "top",
            labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, color: TEXT }
          },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + shown(item.raw);
              }
            }
          }
        },
        scales: {
          x: isBar
            ? { grid: { display: false }, ticks: { autoSkip: false, maxRotation: 20, minRotation: 20, font: { size: 11 }, color: TEXT } }
            : { ticks: { color: TEXT } },
          y: {
            beginAtZero: true,
            // A bar chart counts economies: whole numbers only.
            ticks: isBar ? { precision: 0, color: TEXT } : { color: TEXT },
            title: { display: Boolean(data.yName), text: data.yName, color: TEXT }
          }
        }
      }
    };
  }

  // The chart as a PNG at twice the screen's resolution at least, so that it prints sharply.
  function image(chart) {
    var ratio = chart.options.devicePixelRatio;
    chart.options.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
    chart.resize();
    var url = chart.toBase64Image("image/png");
    chart.options.devicePixelRatio = ratio;
    chart.resize();
    return url;
  }

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var canvas = figure.querySelector(".chart-canvas canvas");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = new window.Chart(canvas, config(data));
    figure.setAttribute("data-chart-ready", "true");

    var button = figure.querySelector(".chart-download");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var link = document.createElement("a");
        link.href = image(chart);
        link.download = (data.filename || "chart") + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }
    // Chart.js follows its box's size on screen; a printed page has another width.
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  var own = document.currentScript;

  function drawAll(figures) {
    if (typeof window.Chart !== "undefined") {
      window.Chart.defaults.font.family = FONT;
    }
    figures.forEach(draw);
  }

  function loadThenDraw(figures) {
    var script = document.createElement("script");
    script.src = own.getAttribute("data-chart-library");
    script.addEventListener("load", function () { drawAll(figures); });
    document.head.appendChild(script);
  }

  function start() {
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure[data-chart]"));
    if (!figures.length) {
      return;
    }
    if (typeof window.Chart !== "undefined") {
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
