/* clusterwatch charts: every [data-chart] element draws itself from the JSON block its
   data-config names. Runs on load and again after htmx swaps a part of the page. */
(function () {
  "use strict";
  var mapReady = null;
  var palette = ["#1f4e79", "#7fb3e0", "#e3ecf5"];

  function loadMap() {
    if (!mapReady) {
      mapReady = fetch("/static/vendor/maps/guangdong.json")
        .then(function (r) { return r.json(); })
        .then(function (geo) { echarts.registerMap("guangdong", geo); return geo; });
    }
    return mapReady;
  }

  function config(el) {
    var node = document.getElementById(el.getAttribute("data-config"));
    return node ? JSON.parse(node.textContent) : {};
  }

  function watermark(text) {
    if (!text) return [];
    return [{ type: "text", right: 12, top: 4, z: 100, silent: true,
      style: { text: text, fill: "rgba(178,106,0,.55)", font: "bold 13px sans-serif" } }];
  }

  function regionName(r, lang) { return lang === "en" ? r.name_en : r.name_zh; }

  function drawMap(el, cfg, chart) {
    return loadMap().then(function () {
      var byName = {};
      var data = cfg.regions.map(function (r) {
        byName[r.name_zh] = r;
        if (cfg.kind === "tiers") return { name: r.name_zh, value: { core: 3, key: 2, general: 1 }[r.tier] || 0 };
        return { name: r.name_zh, value: r.value };
      });
      var values = data.map(function (d) { return d.value; }).filter(function (v) { return v != null; });
      var visualMap = cfg.kind === "tiers"
        ? { type: "piecewise", left: 8, bottom: 8, pieces: [
            { value: 3, label: cfg.tiers.core, color: palette[0] },
            { value: 2, label: cfg.tiers.key, color: palette[1] },
            { value: 1, label: cfg.tiers.general, color: palette[2] }],
            outOfRange: { color: "#f3f4f6" } }
        : { type: "continuous", left: 8, bottom: 8, calculable: true, text: [cfg.title, ""],
            min: values.length ? Math.min.apply(null, values) : 0,
            max: values.length ? Math.max.apply(null, values) : 1,
            inRange: { color: ["#e3ecf5", "#7fb3e0", "#1f4e79"] } };
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) {
          var r = byName[p.name]; if (!r) return p.name;
          var label = regionName(r, cfg.lang);
          if (cfg.kind === "tiers") return label + "：" + (r.tier ? cfg.tiers[r.tier] : cfg.noData);
          return label + "：" + (r.value == null ? cfg.noData : r.value.toLocaleString(undefined, { maximumFractionDigits: 1 }));
        } },
        visualMap: visualMap,
        graphic: watermark(cfg.watermark),
        series: [{ type: "map", map: "guangdong", roam: false, data: data,
          layoutCenter: ["55%", "50%"], layoutSize: "100%", name: cfg.series || "",
          label: { show: true, fontSize: 10, color: "#1d2733",
            formatter: function (p) { var r = byName[p.name]; return r ? regionName(r, cfg.lang).replace(/市$/, "") : p.name.replace(/市$/, ""); } },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#f4b942" } },
          itemStyle: { borderColor: "#fff", borderWidth: 1, areaColor: "#f3f4f6" } }]
      });
      el.setAttribute("data-regions", String(echarts.getMap("guangdong").geoJSON.features.length));
      chart.off("click");
      chart.on("click", function (p) { var r = byName[p.name]; if (r && cfg.link) location.href = cfg.link + r.region; });
    });
  }

  function drawSeries(el, cfg, chart) {
    var actual = cfg.series.map(function (p) { return [p.period, p.value]; });
    var series = [{ name: cfg.labels.actual, type: "line", data: actual, symbolSize: 7, lineStyle: { width: 3 }, color: "#1f4e79" }];
    if (cfg.path && cfg.path.length) {
      series.push({ name: cfg.labels.path, type: "line", data: cfg.path.map(function (p) { return [String(p[0]), p[1]]; }),
        lineStyle: { type: "dashed" }, color: "#b26a00", symbol: "none" });
    }
    if (cfg.projection && cfg.projection.length) {
      series.push({ name: cfg.labels.projection, type: "line", data: cfg.projection.map(function (p) { return [String(p[0]), p[1]]; }),
        lineStyle: { type: "dotted", width: 2 }, color: "#7a4fb0", symbol: "emptyCircle" });
    }
    if (cfg.goal != null) {
      series[0].markLine = { symbol: "none", label: { formatter: cfg.labels.goal + " {c}" },
        lineStyle: { color: "#17803d" }, data: [{ yAxis: cfg.goal }] };
    }
    var years = actual.map(function (p) { return p[0]; });
    if (cfg.goalYear && years.indexOf(String(cfg.goalYear)) < 0) years.push(String(cfg.goalYear));
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 60, right: 80, top: 40, bottom: 56 },
      graphic: watermark(cfg.watermark),
      xAxis: { type: "category", data: years }, yAxis: { type: "value", name: cfg.unit, scale: true },
      series: series
    });
    el.setAttribute("data-points", String(actual.length));
  }

  function drawBars(el, cfg, chart) {
    chart.setOption({
      tooltip: { trigger: "axis" }, grid: { left: 60, right: 20, top: 30, bottom: 30 },
      graphic: watermark(cfg.watermark),
      xAxis: { type: "category", data: cfg.series.map(function (p) { return p.period.slice(5); }) },
      yAxis: { type: "value", name: cfg.unit },
      series: [{ name: cfg.label, type: "bar", data: cfg.series.map(function (p) { return p.value; }), color: "#7fb3e0" }]
    });
  }

  function drawHBars(el, cfg, chart) {
    el.style.height = Math.max(240, cfg.items.length * 26 + 60) + "px";
    chart.resize();
    chart.setOption({
      tooltip: { trigger: "axis" }, grid: { left: 150, right: 50, top: 10, bottom: 30 },
      graphic: watermark(cfg.watermark),
      xAxis: { type: "value", name: cfg.unit }, yAxis: { type: "category", data: cfg.items.slice().reverse() },
      series: [{ name: cfg.label, type: "bar", data: cfg.values.slice().reverse(), color: "#1f4e79" }]
    });
  }

  var drawers = { map: drawMap, series: drawSeries, bars: drawBars, hbars: drawHBars };

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var chart = echarts.getInstanceByDom(el) || echarts.init(el);
      Promise.resolve(drawers[kind](el, config(el), chart)).then(function () { el.setAttribute("data-drawn", "true"); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Behaviours the pages ask for by attribute: the Content-Security-Policy allows no inline script.
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("[data-autosubmit]") && e.target.form) e.target.form.submit();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) { var c = echarts.getInstanceByDom(el); if (c) c.resize(); });
  });
})();
