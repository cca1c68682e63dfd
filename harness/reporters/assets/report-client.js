// @ts-nocheck -- runs in the browser, and the project's tsconfig has no DOM library.
// Draws every chart of index.html with Chart.js from the JSON in #report-data. Text from the
// run reaches the page only through textContent and Chart.js labels, never through innerHTML.
(function () {
  'use strict';

  var COLORS = { accepted: '#2da44e', rejected: '#0969da', aborted: '#6e7781', wrong: '#cf222e', hung: '#8250df', error: '#bc4c00' };
  var LABELS = {
    accepted: 'accepted as expected',
    rejected: 'rejected as expected',
    aborted: 'left by the client on purpose',
    wrong: 'wrong outcome',
    hung: 'hung (no response)',
    error: 'client error',
  };
  var CATEGORIES = ['accepted', 'rejected', 'aborted', 'wrong', 'hung', 'error'];
  var BAND_FILL = 'rgba(255, 140, 0, 0.15)';
  var BAND_EDGE = 'rgba(191, 87, 0, 0.8)';
  var MARKER_COLORS = {
    signal: '#1b1f24',
    'target-exit': '#57606a',
    'unhandled-rejection': '#cf222e',
    'uncaught-exception': '#cf222e',
    crash: '#cf222e',
  };

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var byAnchor = {};
  data.scenarios.forEach(function (scenario) {
    byAnchor[scenario.anchor] = scenario;
  });

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 11;
  Chart.register({
    id: 'faultBands',
    beforeDatasetsDraw: function (chart, _args, options) {
      if (!options || !options.bands) return;
      var area = chart.chartArea;
      var x = chart.scales.x;
      var ctx = chart.ctx;
      ctx.save();
      options.bands.forEach(function (band) {
        var left = Math.max(area.left, x.getPixelForValue(band.fromMs));
        var right = Math.min(area.right, x.getPixelForValue(band.toMs));
        ctx.fillStyle = BAND_FILL;
        ctx.fillRect(left, area.top, Math.max(2, right - left), area.bottom - area.top);
      });
      ctx.restore();
    },
    afterDatasetsDraw: function (chart, _args, options) {
      if (!options || !options.markers) return;
      var area = chart.chartArea;
      var x = chart.scales.x;
      var ctx = chart.ctx;
      ctx.save();
      // Band edges go over the bars, so a fault's start and end stay visible under dense data.
      ctx.fillStyle = BAND_EDGE;
      options.bands.forEach(function (band) {
        [band.fromMs].concat(band.removed ? [band.toMs] : []).forEach(function (ms) {
          var px = x.getPixelForValue(ms);
          if (px >= area.left && px <= area.right) ctx.fillRect(px - 0.75, area.top, 1.5, area.bottom - area.top);
        });
      });
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 1.5;
      ctx.font = '10px system-ui, sans-serif';
      options.markers.forEach(function (marker, index) {
        var px = x.getPixelForValue(marker.atMs);
        if (px < area.left || px > area.right) return;
        ctx.strokeStyle = MARKER_COLORS[marker.kind] || '#1b1f24';
        ctx.fillStyle = ctx.strokeStyle;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        var text = shorten(marker.label, 28);
        var width = ctx.measureText(text).width;
        // Labels near the right edge go on the line's left so they stay inside the plot.
        var textX = px + 4 + width > area.right ? px - 4 - width : px + 4;
        ctx.fillText(text, textX, area.top + 10 + (index % 3) * 11);
      });
      ctx.restore();
    },
  });

  var BUILDERS = {
    started: drawStarted,
    scatter: drawScatter,
    connections: drawConnections,
    inflight: drawInFlight,
    histogram: drawHistogram,
  };

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var scenario = byAnchor[canvas.getAttribute('data-anchor')];
    var kind = canvas.getAttribute('data-chart');
    try {
      var chart = BUILDERS[kind](canvas, scenario.chart);
      canvas.setAttribute('data-points', String(countPoints(chart)));
    } catch (err) {
      canvas.setAttribute('data-error', String(err && err.message));
      canvas.parentElement.textContent = 'This chart could not be drawn: ' + (err && err.message);
      console.error(err);
    }
  });

  function drawStarted(canvas, chart) {
    var datasets = usedCategories(chart.started).map(function (category) {
      return {
        label: LABELS[category],
        backgroundColor: COLORS[category],
        data: chart.started[category].map(function (count, index) {
          return { x: (index + 0.5) * chart.bucketMs, y: count };
        }),
        barPercentage: 1,
        categoryPercentage: 0.92,
      };
    });
    describeFaults(canvas, chart);
    note(canvas, ' (per ' + formatTime(chart.bucketMs, chart.endMs) + ')');
    return new Chart(canvas, {
      type: 'bar',
      data: { datasets: datasets },
      options: {
        scales: {
          x: timeAxis(chart, true),
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'attempts started' }, ticks: { precision: 0 } },
        },
        plugins: faultOptions(chart),
      },
    });
  }

  function drawInFlight(canvas, chart) {
    var datasets = [
      inFlightLine('waiting for a response', chart.inFlight.pending, '#57606a', chart),
      inFlightLine('open', chart.inFlight.open, '#1a7f37', chart),
    ];
    describeFaults(canvas, chart);
    note(canvas, ' (all ' + chart.attempts + ' attempts, at the middle of every ' + formatTime(chart.bucketMs, chart.endMs) + ')');
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        scales: {
          x: timeAxis(chart, false),
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'connections' } },
        },
        plugins: faultOptions(chart),
      },
    });
  }

  function inFlightLine(label, counts, color, chart) {
    return {
      label: 'connections ' + label,
      borderColor: color,
      backgroundColor: color + '33',
      fill: true,
      borderWidth: 1.5,
      pointRadius: 0,
      stepped: 'middle',
      data: counts.map(function (count, index) {
        return { x: (index + 0.5) * chart.bucketMs, y: count };
      }),
    };
  }

  function drawScatter(canvas, chart) {
    var values = [];
    var datasets = usedCategories(chart.scatter).map(function (category) {
      return {
        label: LABELS[category],
        backgroundColor: COLORS[category],
        borderColor: COLORS[category],
        pointRadius: chart.scatterShown > 500 ? 1.5 : 2.5,
        data: chart.scatter[category].map(function (point) {
          values.push(point[1]);
          return { x: point[0], y: point[1] };
        }),
      };
    });
    var logScale = values.length > 0 && Math.min.apply(null, values) > 0 && Math.max.apply(null, values) / Math.min.apply(null, values) > 50;
    describeFaults(canvas, chart);
    if (chart.scatterShown < chart.attempts) note(canvas, sampleText(chart.scatterShown, chart.attempts));
    return new Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      options: {
        scales: {
          x: timeAxis(chart, false),
          y: { type: logScale ? 'logarithmic' : 'linear', title: { display: true, text: 'ms to outcome' + (logScale ? ' (log)' : '') } },
        },
        plugins: Object.assign(faultOptions(chart), {
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': sent ' + formatTime(item.parsed.x, chart.endMs) + ', ' + round(item.parsed.y) + ' ms'; } } },
        }),
      },
    });
  }

  function drawConnections(canvas, chart) {
    var rows = chart.connections;
    var labels = rows.map(function (row) { return row[0]; });
    var pending = {
      label: 'upgrade sent → response or open',
      data: rows.map(function (row) { return [row[1], row[2] === null ? row[3] : row[2]]; }),
      backgroundColor: rows.map(function (row) { return fade(COLORS[row[4]]); }),
      grouped: false,
      minBarLength: 2,
    };
    var open = {
      label: 'open → close',
      data: rows.map(function (row) { return row[2] !== null && row[5].indexOf('101') === 0 ? [row[2], Math.max(row[3], row[2])] : null; }),
      backgroundColor: rows.map(function (row) { return COLORS[row[4]]; }),
      grouped: false,
      minBarLength: 2,
    };
    canvas.parentElement.style.height = Math.min(900, Math.max(180, rows.length * 5 + 70)) + 'px';
    describeFaults(canvas, chart, true);
    if (rows.length < chart.attempts) note(canvas, sampleText(rows.length, chart.attempts));
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [pending, open] },
      options: {
        indexAxis: 'y',
        scales: {
          x: timeAxis(chart, false),
          y: {
            grid: { display: rows.length <= 40 },
            ticks: { display: rows.length <= 40, autoSkip: true, font: { size: 9 } },
            title: { display: rows.length > 6, text: rows.length + ' connections' },
          },
        },
        plugins: Object.assign(faultOptions(chart), {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                var row = rows[item.dataIndex];
                var end = row[2] === null ? 'no response' : 'response ' + formatTime(row[2], chart.endMs);
                return row[0] + ': sent ' + formatTime(row[1], chart.endMs) + ', ' + end + ', ended ' + formatTime(row[3], chart.endMs) + ' · ' + row[5];
              },
            },
          },
        }),
      },
    });
  }

  function drawHistogram(canvas, chart) {
    var edges = chart.histogram.edgesMs;
    var labels = edges.slice(0, -1).map(function (edge, index) { return round(edge) + '–' + round(edges[index + 1]); });
    var datasets = usedCategories(chart.histogram.counts).map(function (category) {
      return { label: LABELS[category], backgroundColor: COLORS[category], data: chart.histogram.counts[category] };
    });
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        scales: {
          x: { stacked: true, title: { display: true, text: 'response time bucket (ms)' } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'attempts' } },
        },
      },
    });
  }

  function timeAxis(chart, stacked) {
    return {
      type: 'linear',
      min: 0,
      max: chart.endMs,
      // Without offset every time chart maps the same ms to the same place in its plot area.
      offset: false,
      stacked: stacked,
      title: { display: true, text: 'time since scenario start' },
      ticks: { callback: function (value) { return formatTime(value, chart.endMs); } },
    };
  }

  function faultOptions(chart) {
    return { faultBands: { bands: chart.bands, markers: chart.markers } };
  }

  /** Writes the fault bands and markers under the chart in words, with their times. */
  function describeFaults(canvas, chart, withCategories) {
    var legend = canvas.closest('figure').querySelector('.chart-legend');
    var parts = [];
    if (withCategories) {
      parts.push(swatchLine(CATEGORIES.filter(function (category) {
        return chart.connections.some(function (row) { return row[4] === category; });
      })));
    }
    chart.bands.forEach(function (band) {
      var end = band.removed ? formatTime(band.toMs, chart.endMs) : 'end of scenario (never removed)';
      parts.push('fault: ' + band.label + ', ' + formatTime(band.fromMs, chart.endMs) + ' → ' + end);
    });
    chart.markers.forEach(function (marker) {
      parts.push(marker.kind + ' at ' + formatTime(marker.atMs, chart.endMs) + ': ' + marker.label);
    });
    if (chart.bands.length === 0 && chart.markers.length === 0) parts.push('No fault or signal in this scenario.');
    parts.forEach(function (part) {
      var line = document.createElement('div');
      if (typeof part === 'string') line.textContent = part;
      else line.appendChild(part);
      legend.appendChild(line);
    });
  }

  function swatchLine(categories) {
    var line = document.createDocumentFragment();
    line.appendChild(document.createTextNode('Faded: waiting for the response; solid: open until the close.'));
    categories.forEach(function (category) {
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = COLORS[category];
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(LABELS[category]));
    });
    return line;
  }

  function note(canvas, text) {
    canvas.closest('figure').querySelector('.sample-note').textContent = text;
  }

  function sampleText(shown, total) {
    return ' (' + shown + ' of ' + total + ' attempts: every failed one up to half, then an even sample)';
  }

  function usedCategories(record) {
    return CATEGORIES.filter(function (category) {
      return record[category].some(function (value) { return Array.isArray(value) || value > 0; });
    });
  }

  function countPoints(chart) {
    return chart.data.datasets.reduce(function (sum, dataset) {
      return sum + dataset.data.filter(function (value) {
        if (value === null) return false;
        if (typeof value === 'number') return value > 0;
        if (Array.isArray(value)) return true;
        return value.y > 0 || chart.config.type === 'scatter';
      }).length;
    }, 0);
  }

  function formatTime(ms, endMs) {
    if (endMs <= 2000) return round(ms) + ' ms';
    return round(ms / 1000) + ' s';
  }

  function round(value) {
    return Math.round(value * 100) / 100;
  }

  function fade(color) {
    return color + '66';
  }

  function shorten(text, length) {
    return text.length > length ? text.slice(0, length - 1) + '…' : text;
  }
})();
