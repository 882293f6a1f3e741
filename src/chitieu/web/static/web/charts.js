/* chitieu charts: Apache ECharts (served from /static/vendor, no CDN).
   Each chart reads its data from a <script type="application/json"> block (no inline script).
   Status colours are the Okabe-Ito palette and every series also carries a decal pattern and a
   text label, so no information is carried by colour alone. */
(function () {
  "use strict";
  var COLOURS = { met: "#0072b2", not_met: "#d55e00", at_risk: "#e69f00", no_data: "#6b7280", not_applicable: "#9ca3af" };
  var DECALS = {
    met: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: 0.785 },
    not_met: { symbol: "rect", dashArrayX: [[6, 6], [0, 6, 6, 0]], dashArrayY: [6, 0] },
    at_risk: { symbol: "circle", symbolSize: 0.6, dashArrayX: [[4, 4]], dashArrayY: [4, 4] },
    no_data: { symbol: "none" },
    not_applicable: { symbol: "none" }
  };
  // digits as the interface's language writes them: "1.160,5" in Vietnamese, "1,160.5" in English
  var LOCALE = (document.documentElement.lang || "vi").indexOf("en") === 0 ? "en-US" : "vi-VN";
  function vn(x, d) {
    if (x === null || x === undefined) return "";
    return Number(x).toLocaleString(LOCALE, { maximumFractionDigits: d === undefined ? 1 : d });
  }
  function data(el) {
    var src = document.getElementById(el.dataset.source);
    return src ? JSON.parse(src.textContent) : null;
  }
  var builders = {
    "status-bars": function (el, d) {
      var rows = d[el.dataset.key] || [];
      return {
        aria: { enabled: true, decal: { show: true } },
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }) },
        tooltip: { trigger: "item" },
        series: [{
          type: "bar",
          data: rows.map(function (r) {
            return { value: r.n, itemStyle: { color: COLOURS[r.status], decal: DECALS[r.status] } };
          }),
          label: { show: true, position: "right", formatter: function (p) { return vn(p.value, 0); } }
        }]
      };
    },
    "sorted-bars": function (el, d) {
      var bars = d.bars || [];
      var unit = d.ratio ? "%" : "";
      el.style.height = Math.max(260, 22 * bars.length + 60) + "px";
      return {
        grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + vn(p.value, 2) + unit; } },
        xAxis: { type: "value", max: d.ratio ? 100 : null },
        yAxis: { type: "category", inverse: true, data: bars.map(function (b) { return b.name; }), axisLabel: { width: 160, overflow: "truncate" } },
        series: [{
          type: "bar",
          data: bars.map(function (b) { return b.value; }),
          itemStyle: { color: "#0b4f8a" },
          label: { show: true, position: "right", formatter: function (p) { return vn(p.value, 1) + unit; } },
          markLine: d.total == null ? undefined : {
            symbol: "none", lineStyle: { type: "dashed", color: "#d55e00" },
            label: { formatter: "Chung: " + vn(d.total, 1) + unit },
            data: [{ xAxis: d.total }]
          }
        }]
      };
    },
    boxplot: function (el, d) {
      var box = d.box || [];
      return {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) {
          var v = p.data.value || p.data; var b = box[p.dataIndex];
          return b.period + " (" + b.n + " đơn vị)<br>nhỏ nhất " + vn(v[1]) + " · Q1 " + vn(v[2]) + " · trung vị " + vn(v[3]) + " · Q3 " + vn(v[4]) + " · lớn nhất " + vn(v[5]);
        } },
        xAxis: { type: "category", data: box.map(function (b) { return b.period; }) },
        yAxis: { type: "value", max: d.ratio ? 100 : null },
        series: [{ type: "boxplot", data: box.map(function (b) { return b.five; }), itemStyle: { color: "#e6f1f8", borderColor: "#0072b2" } }]
      };
    },
    radar: function (el, d) {
      var r = d.radar;
      return {
        tooltip: {},
        radar: { indicator: r.indicators, radius: "62%" },
        series: [{ type: "radar", data: [{ value: r.values, name: d.radar_name, areaStyle: { opacity: 0.2 } }],
                   label: { show: true, formatter: function (p) { return vn(p.value, 0) + "%"; } } }]
      };
    },
    tree: function (el, d) {
      var leaves = 0;
      (function count(n) { if (!n.children || !n.children.length) { leaves += 1; } else { n.children.forEach(count); } })(d);
      el.style.height = Math.min(1600, Math.max(220, 36 * leaves + 60)) + "px";
      return {
        tooltip: { trigger: "item", formatter: function (p) { return p.name; } },
        series: [{
          type: "tree", data: [d], top: 16, left: 96, bottom: 16, right: 260, symbolSize: 9,
          initialTreeDepth: -1, expandAndCollapse: true,
          label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
          leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } }
        }]
      };
    }
  };
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data(el); var build = builders[el.dataset.chart];
      if (!d || !build) return;
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(el, d));
      chart.resize();
      el.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
