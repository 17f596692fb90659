// The lines page: per-line totals from the server-sent events; claims, installs and failures per
// minute from the difference between two snapshots; one chart per measure, one series per line.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var main = document.getElementById("main");
  var charts = null;
  var names = [];
  var last = null;

  function build(lines) {
    names = lines.map(function (l) { return l.line; });
    ["claims", "installs", "failures"].forEach(function (id) {
      document.getElementById(id + "-chart").textContent = "";
    });
    charts = {
      claims: IfppConsole.chart(document.getElementById("claims-chart"), names, "per minute"),
      installs: IfppConsole.chart(document.getElementById("installs-chart"), names, "per minute"),
      failures: IfppConsole.chart(document.getElementById("failures-chart"), names, "per minute"),
    };
  }

  function row(line) {
    var tr = main.querySelector("tr[data-line='" + CSS.escape(line.line) + "']");
    if (!tr) {
      var none = document.getElementById("no-lines");
      if (none) { none.remove(); }
      tr = document.createElement("tr");
      tr.setAttribute("data-line", line.line);
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = line.line;
      tr.appendChild(th);
      ["claims", "installed", "failed", "leases"].forEach(function (col) {
        var td = document.createElement("td");
        td.className = "num";
        td.setAttribute("data-col", col);
        tr.appendChild(td);
      });
      document.querySelector("#lines tbody").appendChild(tr);
    }
    ["claims", "installed", "failed", "leases"].forEach(function (col) {
      tr.querySelector("[data-col='" + col + "']").textContent = String(line[col]);
    });
  }

  IfppConsole.live(main.getAttribute("data-events"), function (s) {
    s.lines.forEach(row);
    var current = s.lines.map(function (l) { return l.line; });
    if (!charts || current.join() !== names.join()) {
      build(s.lines);
      last = null;
    }
    if (last) {
      var minutes = Math.max(0.001, (s.at - last.at) / 60000);
      var rate = function (key) {
        return s.lines.map(function (l, i) { return (l[key] - last.lines[i][key]) / minutes; });
      };
      charts.claims.push(s.at / 1000, rate("claims"));
      charts.installs.push(s.at / 1000, rate("installed"));
      charts.failures.push(s.at / 1000, rate("failed"));
    }
    last = s;
  });
});
