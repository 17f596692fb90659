// The batch page: live progress from the server-sent events, throughput chart (per second,
// measured between two updates while the page is open).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var main = document.getElementById("main");
  var url = main.getAttribute("data-events");
  var chart = IfppConsole.chart(document.getElementById("throughput"),
    ["bound/s", "delivered/s", "installed/s"], "per second");
  var last = null;
  IfppConsole.live(url, function (p) {
    IfppConsole.fill(main, p);
    var bound = p.total - p.planned;
    if (last) {
      var dt = Math.max(0.001, (p.at - last.at) / 1000);
      chart.push(p.at / 1000, [(bound - last.bound) / dt, (p.delivered - last.delivered) / dt,
        (p.installed - last.installed) / dt]);
    }
    last = { at: p.at, bound: bound, delivered: p.delivered, installed: p.installed };
  });
});
