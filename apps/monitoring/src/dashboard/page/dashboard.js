// @ts-check
/**
 * The dashboard page's script (charts by uPlot, a global from /dashboard/uplot.js).
 *
 * Plain JavaScript rather than TypeScript compiled for the browser: the file in the repository is the file served,
 * by `nx serve` from source as by the built service (its build only copies it), so there is no browser bundle to
 * build or keep in step. `@ts-check` and the JSDoc types below let tsc check it against the dashboard's contract
 * (`tsconfig.page.json`, part of `nx typecheck monitoring`), the same zod schema the server's snapshot is typed by.
 *
 * @typedef {import('@slipway/contracts').DashboardSnapshot} DashboardSnapshot
 * @typedef {NonNullable<DashboardSnapshot['runs']>[number]} RunRow
 * @typedef {RunRow['stepGroups'][number]} StepGroup
 * @typedef {import('@slipway/contracts').RunTrainingCurves} RunTrainingCurves
 */
'use strict';
(function () {
  var COLORS = ['#2d6cdf', '#c4372d', '#1f8a4c', '#c98a00', '#7b4bd1', '#0f8b8d'];
  var CURVE_RUNS = 4;
  var MAX_CURVES = 8;
  var LATENCY_POINTS = 180;
  /** @type {Record<string, RunTrainingCurves>} */
  var runCurves = {};
  /** @type {DashboardSnapshot | null} */
  var previous = null;
  var latency = { times: [], series: {} };
  var charts = {};

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  /** A classifier's live accuracy, or a regressor's live MAE, with the rows labelled so far. */
  function liveQuality(acc) {
    if (!acc) return '–';
    if (acc.accuracy !== null) return fmt(acc.accuracy, 3) + ' (' + acc.labelledRows + ')';
    if (acc.mae !== null) return 'MAE ' + fmt(acc.mae, 3) + ' (' + acc.labelledRows + ')';
    return '–';
  }

  function fmt(value, digits) { return value === null || value === undefined ? '–' : Number(value).toFixed(digits); }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : ''; }
  function rows(id, html, columns) {
    document.querySelector('#' + id + ' tbody').innerHTML = html || '<tr><td class="empty" colspan="' + columns + '">nothing yet</td></tr>';
  }
  function width(el) { return Math.max(300, el.clientWidth || 520); }

  function chart(id, series, data, yLabel, timeAxis) {
    var el = document.getElementById(id);
    var key = series.map(function (s) { return s.label; }).join('|');
    var points = 0;
    for (var i = 1; i < data.length; i++) for (var j = 0; j < data[i].length; j++) if (data[i][j] !== null && data[i][j] !== undefined) points++;
    el.setAttribute('data-points', String(points));
    if (charts[id] && charts[id].key === key) { charts[id].plot.setData(data); return; }
    if (charts[id]) charts[id].plot.destroy();
    var opts = {
      width: width(el), height: 230,
      scales: { x: { time: !!timeAxis } },
      axes: [{ label: timeAxis ? '' : 'epoch' }, { label: yLabel }],
      series: [{ label: timeAxis ? 'time' : 'epoch' }].concat(series),
    };
    charts[id] = { key: key, plot: new uPlot(opts, data, el) };
  }

  /** "train: 3 succeeded, 1 running" for a grid, "prepare: cached" for one step. */
  /** @param {StepGroup} group */
  function describeGroup(group) {
    var counts = Object.keys(group.statuses).map(function (status) { return group.rows > 1 ? group.statuses[status] + ' ' + status : status; });
    return group.step + ': ' + counts.join(', ');
  }

  /** @param {DashboardSnapshot} snapshot */
  function drawRuns(snapshot) {
    var html = '';
    (snapshot.runs || []).forEach(function (run) {
      // A grid's trainings share one chip, with their count and the status the CLI shows for them.
      var steps = run.stepGroups.map(function (group) {
        var label = group.rows > 1 ? group.step + ' \u00d7' + group.rows : group.step;
        return '<span class="chip ' + esc(group.status) + '" data-step="' + esc(group.step) + '" title="' + esc(describeGroup(group)) + '">' + esc(label) + '</span>';
      }).join('');
      html += '<tr data-run-id="' + esc(run.id) + '" data-status="' + esc(run.status) + '"><td title="' + esc(run.id) + '">' + esc(run.id) + '</td><td>' + esc(run.pipelineName) +
        '</td><td><span class="chip ' + esc(run.status) + '">' + esc(run.status) + '</span></td><td class="steps">' + steps + '</td><td class="num">' + fmt(run.epoch, 0) + '</td><td>' + time(run.createdAt) + '</td></tr>';
    });
    if (snapshot.registryError) html += '<tr><td class="empty" colspan="6">registry: ' + esc(snapshot.registryError) + '</td></tr>';
    rows('runs', html, 6);
  }

  /** @param {DashboardSnapshot} snapshot */
  function refreshCurves(snapshot) {
    var wanted = (snapshot.runs || []).filter(function (run) { return run.epoch !== null; }).slice(0, CURVE_RUNS);
    Promise.all(wanted.map(function (run) {
      if (runCurves[run.id]) return Promise.resolve(runCurves[run.id]);
      var finished = run.status === 'succeeded' || run.status === 'failed';
      return fetch('/api/runs/' + encodeURIComponent(run.id) + '/curves').then(function (r) { return r.ok ? r.json() : null; }).then(function (curves) {
        // A finished run's curves are final; a running one's are fetched again with the next snapshot.
        if (curves && finished) runCurves[run.id] = curves;
        return curves;
      });
    })).then(function (all) {
      // One curve per training: a grid's trainings are compared side by side, each named by its grid values.
      var trainings = [];
      all.filter(Boolean).forEach(function (curves) {
        curves.trainings.forEach(function (training) {
          if (training.epochs.length === 0 || trainings.length >= MAX_CURVES) return;
          var grid = training.grid ? ' ' + Object.keys(training.grid).map(function (key) { return key + '=' + training.grid[key]; }).join(', ') : '';
          trainings.push({ label: curves.runId.slice(-8) + grid, epochs: training.epochs });
        });
      });
      var epochs = 0;
      trainings.forEach(function (t) { epochs = Math.max(epochs, t.epochs[t.epochs.length - 1].epoch); });
      var x = [];
      for (var e = 1; e <= epochs; e++) x.push(e);
      var series = [];
      var data = [x];
      trainings.forEach(function (t, i) {
        var color = COLORS[i % COLORS.length];
        var byEpoch = {};
        t.epochs.forEach(function (p) { byEpoch[p.epoch] = p; });
        series.push({ label: t.label + ' loss', stroke: color, width: 2 });
        data.push(x.map(function (e) { return byEpoch[e] ? byEpoch[e].loss : null; }));
        series.push({ label: t.label + ' acc', stroke: color, dash: [6, 4] });
        data.push(x.map(function (e) { return byEpoch[e] ? byEpoch[e].accuracy : null; }));
      });
      chart('training-chart', series, data, 'loss / accuracy', false);
    });
  }

  /** An imported model has no metrics of ours: its format stands in their place. */
  function headline(v) {
    if (!v.headline) return ' title="imported">' + esc(v.format);
    return ' title="' + esc(v.headline.split) + '">' + (v.headline.name === 'r2' ? 'R² ' : '') + fmt(v.headline.value, 3);
  }

  /** @param {DashboardSnapshot} snapshot */
  function drawModels(snapshot) {
    var live = {};
    snapshot.accuracy.forEach(function (m) { m.versions.forEach(function (v) { live[m.model + '@' + v.version] = v; }); });
    var html = '';
    (snapshot.models || []).forEach(function (model) {
      model.versions.slice().reverse().forEach(function (v) {
        var acc = live[model.name + '@' + v.version];
        html += '<tr data-model-version="' + esc(model.name + '@' + v.version) + '"><td>' + esc(model.name) + '</td><td>' + v.version + '</td><td>' +
          v.aliases.map(function (a) { return '<span class="chip running">' + esc(a) + '</span>'; }).join('') + '</td><td class="num"' + headline(v) +
          '</td><td class="num">' + liveQuality(acc) + '</td><td>' + time(v.createdAt) + '</td></tr>';
      });
    });
    rows('models', html, 6);
  }

  /** @param {DashboardSnapshot} snapshot */
  function drawInference(snapshot) {
    var before = {};
    if (previous) previous.inference.forEach(function (v) { before[v.model + '@' + v.version] = v; });
    var seconds = previous ? (Date.parse(snapshot.generatedAt) - Date.parse(previous.generatedAt)) / 1000 : 0;
    var html = '';
    snapshot.inference.forEach(function (v) {
      var key = v.model + '@' + v.version;
      var old = before[key];
      var rate = old && seconds > 0 ? (v.requests - old.requests) / seconds : null;
      html += '<tr data-model-version="' + esc(key) + '"><td>' + esc(key) + '</td><td class="num">' + fmt(rate, 1) + '</td><td class="num">' + fmt(v.p50Ms, 1) +
        '</td><td class="num">' + fmt(v.p99Ms, 1) + '</td><td class="num">' + (v.requests ? fmt((100 * v.errors) / v.requests, 2) + ' %' : '–') + '</td><td class="num">' + v.requests + '</td></tr>';
    });
    rows('inference', html, 6);

    latency.times.push(Date.parse(snapshot.generatedAt) / 1000);
    snapshot.inference.forEach(function (v) {
      var key = v.model + '@' + v.version;
      if (!latency.series[key]) latency.series[key] = { p50: latency.times.slice(0, -1).map(function () { return null; }), p99: latency.times.slice(0, -1).map(function () { return null; }) };
    });
    Object.keys(latency.series).forEach(function (key) {
      var v = snapshot.inference.filter(function (s) { return s.model + '@' + s.version === key; })[0];
      latency.series[key].p50.push(v ? v.p50Ms : null);
      latency.series[key].p99.push(v ? v.p99Ms : null);
    });
    if (latency.times.length > LATENCY_POINTS) {
      latency.times.shift();
      Object.keys(latency.series).forEach(function (key) { latency.series[key].p50.shift(); latency.series[key].p99.shift(); });
    }
    var series = [];
    var data = [latency.times.slice()];
    Object.keys(latency.series).sort().forEach(function (key, i) {
      var color = COLORS[i % COLORS.length];
      series.push({ label: key + ' p50', stroke: color, width: 2 });
      data.push(latency.series[key].p50.slice());
      series.push({ label: key + ' p99', stroke: color, dash: [6, 4] });
      data.push(latency.series[key].p99.slice());
    });
    chart('latency-chart', series, data, 'latency ms', true);
  }

  /** @param {DashboardSnapshot} snapshot */
  function drawDrift(snapshot) {
    var html = '';
    snapshot.drift.forEach(function (model) {
      model.versions.forEach(function (v) {
        var label = model.model + '@' + v.version;
        if (v.features.length === 0) {
          html += '<tr><td>' + esc(label) + '</td><td class="empty" colspan="6">' + esc(v.unavailable || (v.windowRows + ' of ' + v.minRows + ' rows needed')) + '</td></tr>';
          return;
        }
        v.features.forEach(function (f) {
          var over = f.psi > v.psiThreshold;
          html += '<tr data-feature="' + esc(f.feature) + '"><td>' + esc(label) + (v.drifted ? ' <span class="chip failed">drift</span>' : '') + '</td><td>' + esc(f.feature) +
            '</td><td class="num">' + fmt(f.psi, 3) + '</td><td><span class="bar' + (over ? ' over' : '') + '" style="width:' + Math.min(120, Math.round((f.psi / v.psiThreshold) * 60)) +
            'px"></span></td><td>' + esc(f.test.method) + '</td><td class="num">' + Number(f.test.pValue).toExponential(1) + '</td><td class="num">' + f.rows + '</td></tr>';
        });
      });
    });
    rows('drift', html, 7);
    document.getElementById('alerts').innerHTML = snapshot.alerts.map(function (a) {
      return '<div class="alert">' + time(a.at) + ' — drift on ' + esc(a.model + '@' + a.version) + ': ' + a.features.map(function (f) { return esc(f.feature) + ' PSI ' + fmt(f.psi, 2); }).join(', ') +
        (a.retrainRunId ? ' → retraining run ' + esc(a.retrainRunId) : '') + '</div>';
    }).join('');
  }

  /** @param {DashboardSnapshot} snapshot */
  function drawQueues(snapshot) {
    var html = '';
    Object.keys(snapshot.queues).sort().forEach(function (name) {
      var q = snapshot.queues[name];
      html += '<tr data-queue="' + esc(name) + '"><td>' + esc(name) + '</td><td class="num">' + (q.waiting + q.prioritized) + '</td><td class="num">' + q.active + '</td><td class="num">' + q.delayed +
        '</td><td class="num">' + q.completed + '</td><td class="num">' + q.failed + '</td></tr>';
    });
    rows('queues', html, 6);
  }

  /** @param {DashboardSnapshot} snapshot */
  function render(snapshot) {
    drawRuns(snapshot);
    refreshCurves(snapshot);
    drawModels(snapshot);
    drawInference(snapshot);
    drawDrift(snapshot);
    drawQueues(snapshot);
    previous = snapshot;
    var status = document.getElementById('status');
    status.className = 'live';
    status.textContent = 'live · updated ' + time(snapshot.generatedAt);
  }

  var source = new EventSource('/api/dashboard/events');
  source.addEventListener('snapshot', function (event) { render(JSON.parse(event.data)); });
  source.onerror = function () {
    var status = document.getElementById('status');
    status.className = '';
    status.textContent = 'reconnecting…';
  };
})();
