/*
 * The statistics pages' charts, drawn with Apache ECharts (static/vendor/echarts, from the npm registry).
 *
 * Each `.chart[data-chart]` names the JSON (json_script) of the table printed beneath it: the table is the truth
 * and the chart draws the same numbers. SVG renderer, so the numbers are text in the page; ECharts' `aria`
 * gives the chart its description; the tooltip is rich text, not HTML with inline styles (the CSP allows none).
 * Without this script (or ECharts) the tables alone stay.
 */
(function () {
  "use strict";

  var INK = "#1f2328";
  var MUTED = "#59626d";
  var LINE = "#d9dde3";
  var BLUE = "#1d4f91";
  var PALETTE = ["#1d4f91", "#a61b1e", "#2f7d4f", "#8a5a00", "#5b3f8c", "#0f6e7a", "#7d1417", "#4a5563"];
  var charts = [];

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // `exclude`: the category axis's dimension, which ECharts' description would otherwise read out as a number.
  function common(data, exclude) {
    return {
      color: PALETTE,
      animation: !reducedMotion(),
      // Not shown (the page's heading names the chart) but read by `aria` into the description.
      title: { text: data.title, show: false },
      aria: { enabled: true, label: { enabled: true, data: { maxCount: 60, excludeDimensionId: exclude || [] } } },
      tooltip: { trigger: "item", renderMode: "richText" },
      textStyle: { color: INK },
    };
  }

  function valueAxis() {
    return {
      type: "value",
      minInterval: 1,
      axisLabel: { color: MUTED },
      splitLine: { lineStyle: { color: LINE } },
    };
  }

  function columns(data) {
    return Object.assign(common(data, [0]), {
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { color: INK, interval: 0, hideOverlap: true } },
      yAxis: valueAxis(),
      series: [{
        type: "bar",
        name: data.series,
        data: data.values,
        barMaxWidth: 48,
        itemStyle: { color: BLUE },
        label: { show: true, position: "top", color: INK },
      }],
    });
  }

  function bars(data, width) {
    return Object.assign(common(data, [1]), {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      // Largest first, at the top, as the table lists them.
      yAxis: {
        type: "category",
        inverse: true,
        data: data.labels,
        axisLabel: { color: INK, width: Math.max(96, Math.round(width * 0.4)), overflow: "truncate" },
      },
      xAxis: valueAxis(),
      series: [{
        type: "bar",
        name: data.series,
        data: data.values,
        barMaxWidth: 28,
        itemStyle: { color: BLUE },
        label: { show: true, position: "right", color: INK },
      }],
    });
  }

  function funnel(data) {
    return Object.assign(common(data), {
      series: [{
        type: "funnel",
        name: data.series,
        // The stages in their order, not by size: a stage may hold as many as the one before.
        sort: "none",
        left: "10%",
        width: "55%",
        min: 0,
        max: Math.max.apply(null, data.values.concat([1])),
        minSize: "4%",
        gap: 2,
        label: { show: true, position: "right", color: INK, formatter: "{b}: {c}" },
        labelLine: { show: true },
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; }),
      }],
    });
  }

  function option(data, width) {
    if (data.kind === "hbar") return bars(data, width);
    if (data.kind === "funnel") return funnel(data);
    return columns(data);
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    container.hidden = false;
    if (data.kind === "hbar") {
      // A bar per row: the drawing grows with its table (CSSOM, which the CSP allows; no style attribute).
      container.style.height = Math.max(160, data.labels.length * 34 + 48) + "px";
    }
    var locale = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
    var chart = window.echarts.init(container, null, { renderer: "svg", locale: locale });
    chart.setOption(option(data, container.clientWidth));
    charts.push(chart);
  }

  function start() {
    if (!window.echarts) return;
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), draw);
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) { chart.resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
