// The console's shared behaviour: confirmations, live updates (server-sent events through the
// browser's EventSource), fields filled from JSON, and time charts (uPlot, served by the service).
"use strict";
window.IfppConsole = (function () {
  // A form with data-confirm asks before it is sent (re-bind, abandon, purge).
  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  // Every element with data-field="a.b" takes the value at that path of the data.
  function fill(root, data) {
    root.querySelectorAll("[data-field]").forEach(function (el) {
      var value = el.getAttribute("data-field").split(".").reduce(function (o, k) {
        return o == null ? undefined : o[k];
      }, data);
      if (value === undefined || value === null) {
        return;
      }
      if (el.tagName === "PROGRESS" || el.tagName === "METER") {
        el.value = Number(value);
      } else {
        el.textContent = typeof value === "number" && !Number.isInteger(value)
          ? value.toFixed(1) : String(value);
      }
    });
  }

  // Subscribes to a server-sent event stream; calls onData with each parsed event.
  function live(url, onData) {
    var source = new EventSource(url);
    var status = document.getElementById("live-status");
    source.addEventListener("open", function () {
      if (status) { status.textContent = "live"; }
    });
    source.addEventListener("error", function () {
      if (status) { status.textContent = "reconnecting"; }
    });
    source.addEventListener("update", function (event) {
      onData(JSON.parse(event.data));
    });
    window.addEventListener("beforeunload", function () { source.close(); });
    return source;
  }

  // A time chart of named series; push(seconds, [v1, v2...]) appends one point per series.
  function chart(el, labels, yLabel) {
    var colours = ["#1b6ac9", "#2e8b57", "#c0392b", "#8e44ad", "#d68910", "#566573"];
    var data = [[]].concat(labels.map(function () { return []; }));
    var options = {
      width: Math.max(320, el.clientWidth || 640),
      height: 220,
      series: [{}].concat(labels.map(function (label, i) {
        return { label: label, stroke: colours[i % colours.length], width: 2 };
      })),
      axes: [{}, { label: yLabel || "" }],
    };
    var plot = new uPlot(options, data, el);
    window.addEventListener("resize", function () {
      plot.setSize({ width: Math.max(320, el.clientWidth), height: 220 });
    });
    return {
      push: function (t, values, keep) {
        data[0].push(t);
        values.forEach(function (v, i) { data[i + 1].push(v); });
        var max = keep || 360;
        if (data[0].length > max) {
          data.forEach(function (s) { s.splice(0, s.length - max); });
        }
        el.dataset.points = data[0].length; // what a test waits for
        plot.setData(data);
      },
      replace: function (columns) {
        data = columns;
        el.dataset.points = data[0].length;
        plot.setData(data);
      },
    };
  }

  document.addEventListener("DOMContentLoaded", confirmForms);
  return { live: live, fill: fill, chart: chart };
})();
