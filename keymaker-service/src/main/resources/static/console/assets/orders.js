// Production orders: the list's rows and an order's page follow their server-sent events; an
// order's page charts delivered and installed devices per second while it is open.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var main = document.getElementById("main");
  var url = main.getAttribute("data-events");
  var rows = document.querySelectorAll("#orders tr[data-order]");
  if (document.getElementById("orders")) {
    IfppConsole.live(url, function (list) {
      list.forEach(function (p) {
        rows.forEach(function (row) {
          if (row.getAttribute("data-order") === p.orderId) {
            IfppConsole.fill(row, p);
          }
        });
      });
    });
    return;
  }
  var chart = IfppConsole.chart(document.getElementById("throughput"),
    ["delivered/s", "installed/s"], "per second");
  var last = null;
  IfppConsole.live(url, function (p) {
    IfppConsole.fill(main, p);
    if (last) {
      var dt = Math.max(0.001, (p.at - last.at) / 1000);
      chart.push(p.at / 1000, [(p.delivered - last.delivered) / dt,
        (p.installed - last.installed) / dt]);
    }
    last = { at: p.at, delivered: p.delivered, installed: p.installed };
  });
});
