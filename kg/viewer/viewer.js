// claimgraph viewer: draws the embedded graph with vis-network; every piece of data is set with textContent.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('cg-data').textContent);
  var container = document.getElementById('cg-graph');
  var tip = document.getElementById('cg-tip');
  var details = document.getElementById('cg-details');
  var status = document.getElementById('cg-status');
  // Dashed lines cost ~6x more to draw than solid ones: big graphs tell edge kinds apart by colour only.
  if (data.big) Object.keys(data.edgeKinds).forEach(function (k) { data.edgeKinds[k].dashes = false; });
  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function nodeColor(n) {
    var k = data.kinds[n.k];
    return { background: k.color, border: k.border,
             highlight: { background: k.color, border: '#000000' }, hover: { background: k.color, border: '#000000' } };
  }
  // Big graphs draw edges translucent so that clusters stay visible under the fans of shared outlets.
  function edgeColor(e) {
    return { color: data.edgeKinds[e.k].color, highlight: '#000000', hover: '#000000',
             opacity: data.big ? 0.35 : (data.edgeKinds[e.k].opacity || 1) };
  }

  // Reader comments of an article start collapsed into one node (kind COMMENTS); a member carries its group's id
  // in n.g, an edge standing in for members' edges carries it in e.via.
  var COMMENTS = 'reader comments';
  var expanded = new Set();
  var groupMembers = new Map();
  data.nodes.forEach(function (n) {
    if (n.g === undefined) return;
    if (!groupMembers.has(n.g)) groupMembers.set(n.g, []);
    groupMembers.get(n.g).push(n.id);
  });
  function nodeVisible(id) {
    var n = byId.get(id);
    if (!n) return false;
    if (n.k === COMMENTS) return !expanded.has(id);
    return n.g === undefined || expanded.has(n.g);
  }
  function edgeVisible(e) { return !e.quiet && nodeVisible(e.f) && nodeVisible(e.t); }
  // The node that stands for ``id`` on screen: itself, or its collapsed comment group.
  function shown(id) {
    var n = byId.get(id);
    return (n && n.g !== undefined && !expanded.has(n.g)) ? n.g : id;
  }

  var LABEL_VEIL = 'rgba(252, 252, 250, 0.8)';  // behind labels under shapes: edges passing under stay legible
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var k = data.kinds[n.k];
    return { id: n.id, label: n.label, x: n.x, y: n.y, shape: k.shape, size: n.s, color: nodeColor(n),
             font: { color: '#222222', size: data.font, background: k.shape === 'box' ? undefined : LABEL_VEIL },
             hidden: !nodeVisible(n.id) };
  }));
  var edgesTouching = new Map();  // node id -> indexes of the edges at it (to update a group's edges only)
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    var ek = data.edgeKinds[e.k];
    [e.f, e.t].forEach(function (id) {
      if (!edgesTouching.has(id)) edgesTouching.set(id, []);
      edgesTouching.get(id).push(i);
    });
    // Big graphs draw no edge labels: vis-network draws every edge's label, on screen or not, on every frame.
    var item = { id: i, from: e.f, to: e.t, label: (!data.big && e.dl) || undefined, color: edgeColor(e), dashes: ek.dashes,
                 width: ek.width || 1, arrows: 'to', hidden: !edgeVisible(e),
                 font: { size: data.font, color: '#444444', strokeWidth: 4, align: 'middle' } };
    if (e.cv) {  // within one column: an arc, its label level beside it rather than along the arc
      item.smooth = { enabled: true, type: 'curvedCW', roundness: e.cv };
      item.font.align = 'horizontal';
    }
    return item;
  }));

  var options = {
    physics: false,
    layout: { randomSeed: 7, improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 80, hideEdgesOnDrag: data.big, hideEdgesOnZoom: data.big,
                   navigationButtons: false, keyboard: false },
    edges: { smooth: false, selectionWidth: 2 },
    nodes: { borderWidth: 1.5, margin: 5 }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  function setGroup(groupId, open) {
    if (!groupMembers.has(groupId) || expanded.has(groupId) === open) return;
    if (open) expanded.add(groupId); else expanded.delete(groupId);
    var ids = [groupId].concat(groupMembers.get(groupId));
    nodes.update(ids.map(function (id) { return { id: id, hidden: !nodeVisible(id) }; }));
    var touched = new Set();
    ids.forEach(function (id) { (edgesTouching.get(id) || []).forEach(function (i) { touched.add(i); }); });
    edges.update(Array.from(touched).map(function (i) { return { id: i, hidden: !edgeVisible(data.edges[i]) }; }));
    var toggle = document.getElementById('cg-group-comments');
    if (toggle) toggle.checked = expanded.size === 0;
  }
  function setAllGroups(open) { groupMembers.forEach(function (_, g) { setGroup(g, open); }); }

  // --- details (hover tip and click panel), built from text nodes only -----------------------------------------
  function fillDetails(box, n) {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(el('div', 'cg-kind', data.kinds[n.k].label));
    box.appendChild(el('div', 'cg-title', n.k === 'claim' ? (n.text || n.t) : n.t));
    if (n.k === 'claim') {
      if (n.seg && n.seg.length) {
        var p = el('p', 'cg-sentence');
        n.seg.forEach(function (s) {
          var part = s[1] === 'cue' ? el('mark', null, s[0]) : el('span', s[1] === 'claim' ? 'cg-claim' : null, s[0]);
          p.appendChild(part);
        });
        box.appendChild(p);
      }
      if (n.cue) box.appendChild(el('div', 'cg-meta', 'cue: ' + n.cue + (n.cueType ? ' (' + n.cueType + ')' : '')));
      if (n.hedge) box.appendChild(el('div', 'cg-meta', 'hedge: ' + n.hedge));
      if (n.chain && n.chain.length) box.appendChild(el('div', 'cg-meta', 'chain: ' + n.chain.join(' \u2192 ')));
      if (n.rec && n.rec.length) box.appendChild(el('div', 'cg-meta', 'told to: ' + n.rec.join(', ')));
      if (n.doc) box.appendChild(el('div', 'cg-meta', 'document: ' + n.doc + (n.date ? ' (' + n.date + ')' : '')));
      if (n.b !== null && n.b !== undefined) box.appendChild(el('div', 'cg-meta', 'offsets: ' + n.b + '\u2013' + n.e));
    } else if (n.k === COMMENTS) {
      box.appendChild(el('div', 'cg-meta', 'on: ' + n.doc));
      box.appendChild(el('div', 'cg-meta', expanded.has(n.id) ? 'shown' : 'Click to show each comment, its writer and its claims.'));
    } else if (n.aka && n.aka.length) {
      box.appendChild(el('div', 'cg-meta', 'also: ' + n.aka.join(', ')));
    }
    if (n.ref) n.ref.forEach(function (r) { box.appendChild(el('div', 'cg-meta cg-refusal', r)); });
    if (n.k === 'document' && (n.date || n.url)) {
      if (n.date) box.appendChild(el('div', 'cg-meta', 'published: ' + n.date));
      if (n.url) box.appendChild(el('div', 'cg-meta', 'url: ' + n.url));
    }
    box.appendChild(el('div', 'cg-meta', n.iri));
  }

  network.on('hoverNode', function (p) {
    var n = byId.get(p.node);
    if (!n) return;
    fillDetails(tip, n);
    var x = p.pointer.DOM.x + 14, y = p.pointer.DOM.y + 14;
    tip.hidden = false;
    var maxX = container.clientWidth - tip.offsetWidth - 4, maxY = container.clientHeight - tip.offsetHeight - 4;
    tip.style.left = Math.max(0, Math.min(x, maxX)) + 'px';
    tip.style.top = Math.max(0, Math.min(y, maxY)) + 'px';
  });
  network.on('blurNode', function () { tip.hidden = true; });
  network.on('dragStart', function () { tip.hidden = true; });

  // --- highlighting ----------------------------------------------------------------------------------------------
  var state = { highlighted: null, selected: null };

  function neighbourhood(id) {
    var keep = new Set([id]);
    network.getConnectedNodes(id).forEach(function (x) { keep.add(x); });
    return keep;
  }

  // Dimming draws a veil over the finished frame and redraws only the chain on top of it. Updating the vis
  // DataSets instead costs ~0.2 ms per node and edge: 2 s for a 5,000-node graph on every click.
  var overlay = null;
  network.on('afterDrawing', function (ctx) {
    if (!overlay) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = 'rgba(252, 252, 250, 0.86)';
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    var body = network.body;
    overlay.edges.forEach(function (id) { var e = body.edges[id]; if (e && e.connected && !e.options.hidden) e.draw(ctx); });
    overlay.edges.forEach(function (id) { var e = body.edges[id]; if (e && e.connected && !e.options.hidden) e.drawArrows(ctx); });
    overlay.nodes.forEach(function (id) {
      var n = body.nodes[id];
      if (!n || n.options.hidden) return;
      var drawn = n.draw(ctx);
      if (drawn && drawn.drawExternalLabel) drawn.drawExternalLabel();
    });
  });

  // ``ids``: the nodes to keep; members of collapsed comment groups are kept as their group's node.
  function applyHighlight(ids) {
    var keep = new Set();
    ids.forEach(function (id) { keep.add(shown(id)); });
    var chainEdges = [];
    data.edges.forEach(function (e, i) { if (keep.has(e.f) && keep.has(e.t) && edgeVisible(e)) chainEdges.push(i); });
    overlay = { nodes: Array.from(keep), edges: chainEdges };
    state.highlighted = keep;
    network.redraw();
  }

  function reset() {
    if (overlay) { overlay = null; network.redraw(); }
    if (threadList) Array.prototype.forEach.call(threadList.children, function (li) { li.classList.remove('cg-active'); });
    state.highlighted = null;
    state.selected = null;
    details.hidden = true;
  }

  function select(id) {
    var n = byId.get(id);
    if (!n) { reset(); return; }
    if (n.k === COMMENTS && !expanded.has(id)) {
      setGroup(id, true);
      applyHighlight([id].concat(groupMembers.get(id)).filter(function (m) { return nodeVisible(m) || m === id; }));
      state.selected = id;
      fillDetails(details, n);
      details.hidden = false;
      status.textContent = n.t.replace(' (click to expand)', '') + ' shown.';
      return;
    }
    applyHighlight(n.k === 'claim' && data.chains[id] ? new Set(data.chains[id]) : neighbourhood(id));
    state.selected = id;
    fillDetails(details, n);
    details.hidden = false;
  }

  network.on('click', function (p) {
    if (p.nodes.length) select(p.nodes[0]);
    else reset();
  });

  // --- search ----------------------------------------------------------------------------------------------------
  var names = document.getElementById('cg-names');
  var seen = new Set();
  data.nodes.forEach(function (n) {
    if (seen.has(n.t) || n.k === COMMENTS) return;
    seen.add(n.t);
    var o = document.createElement('option');
    o.value = n.t;
    names.appendChild(o);
  });

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var exact = null, partial = null;
    for (var i = 0; i < data.nodes.length; i++) {
      var n = data.nodes[i], t = (n.t || '').toLowerCase();
      if (n.k === COMMENTS) continue;
      if (t === q) { exact = n; break; }
      if (partial === null && (t.indexOf(q) >= 0 || (n.text || '').toLowerCase().indexOf(q) >= 0 ||
          (n.aka || []).some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }))) partial = n;
    }
    return exact || partial;
  }

  // Select a node and bring it to the middle of the view (opening its comment group first).
  function focusOn(id) {
    var n = byId.get(id);
    if (!n) return;
    if (n.g !== undefined) setGroup(n.g, true);
    network.selectNodes([id]);
    select(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
  }

  function search(query) {
    var n = find(query);
    if (!n) { status.textContent = 'No node matches \u201c' + query + '\u201d.'; return null; }
    focusOn(n.id);  // a node inside collapsed comments: they open first
    status.textContent = 'Found: ' + n.t;
    return n.id;
  }

  document.getElementById('cg-search').addEventListener('submit', function (ev) {
    ev.preventDefault();
    search(document.getElementById('cg-search-input').value);
  });

  // --- legend ----------------------------------------------------------------------------------------------------
  var SVG = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    return e;
  }
  var SHAPES = {
    dot: function (c) { return svgEl('circle', { cx: 9, cy: 9, r: 7, fill: c.color, stroke: c.border }); },
    box: function (c) { return svgEl('rect', { x: 1, y: 4, width: 16, height: 10, rx: 2, fill: c.color, stroke: c.border }); },
    square: function (c) { return svgEl('rect', { x: 2, y: 2, width: 14, height: 14, fill: c.color, stroke: c.border }); },
    diamond: function (c) { return svgEl('polygon', { points: '9,1 17,9 9,17 1,9', fill: c.color, stroke: c.border }); },
    triangle: function (c) { return svgEl('polygon', { points: '9,1 17,16 1,16', fill: c.color, stroke: c.border }); },
    triangleDown: function (c) { return svgEl('polygon', { points: '1,2 17,2 9,17', fill: c.color, stroke: c.border }); },
    hexagon: function (c) { return svgEl('polygon', { points: '5,2 13,2 17,9 13,16 5,16 1,9', fill: c.color, stroke: c.border }); },
    star: function (c) { return svgEl('polygon', { points: '9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7', fill: c.color, stroke: c.border }); },
    ellipse: function (c) { return svgEl('ellipse', { cx: 9, cy: 9, rx: 8, ry: 5, fill: c.color, stroke: c.border }); }
  };
  var legendNodes = document.getElementById('cg-legend-nodes');
  Object.keys(data.kinds).forEach(function (name) {
    var k = data.kinds[name];
    if (k.optional && !data.nodes.some(function (n) { return n.k === name; })) return;
    var li = el('li');
    li.dataset.kind = name;
    var s = svgEl('svg', { width: 18, height: 18, viewBox: '0 0 18 18' });
    s.appendChild((SHAPES[k.shape] || SHAPES.dot)(k));
    li.appendChild(s);
    li.appendChild(el('span', null, k.label));
    legendNodes.appendChild(li);
  });
  var legendEdges = document.getElementById('cg-legend-edges');
  Object.keys(data.edgeKinds).forEach(function (name) {
    var ek = data.edgeKinds[name];
    if (ek.optional && !data.edges.some(function (e) { return e.k === name; })) return;
    var li = el('li');
    li.dataset.edgeKind = name;
    var s = svgEl('svg', { width: 30, height: 12, viewBox: '0 0 30 12' });
    var line = svgEl('line', { x1: 1, y1: 6, x2: 23, y2: 6, stroke: ek.color, 'stroke-width': (ek.width || 1) + 1 });
    if (ek.dashes) line.setAttribute('stroke-dasharray', Array.isArray(ek.dashes) ? ek.dashes.join(' ') : '5 3');
    s.appendChild(line);
    s.appendChild(svgEl('polygon', { points: '22,2 29,6 22,10', fill: ek.color }));
    li.appendChild(s);
    li.appendChild(el('span', null, ek.label));
    legendEdges.appendChild(li);
  });

  // --- comment groups and threads in the side panel ---------------------------------------------------------------
  var groupToggle = document.getElementById('cg-group-comments');
  if (groupMembers.size) {
    document.getElementById('cg-comments').hidden = false;
    groupToggle.checked = true;
    groupToggle.addEventListener('change', function () { reset(); setAllGroups(!groupToggle.checked); });
  }

  var threadList = document.getElementById('cg-thread-list');
  var selectedThread = null;
  function threadSummary(t) {
    return t.outlets + (t.outlets === 1 ? ' outlet' : ' outlets') + ' \u00b7 ' + t.documents +
      (t.documents === 1 ? ' document' : ' documents') + ' \u00b7 first ' + (t.firstDate || 'undated');
  }
  function fillThread(box, t) {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(el('div', 'cg-kind', 'claim thread'));
    box.appendChild(el('div', 'cg-title', t.label));
    box.appendChild(el('div', 'cg-meta', threadSummary(t)));
    var list = el('ol', 'cg-timeline');
    t.members.forEach(function (id) {
      var n = byId.get(id);
      var item = el('li', id === t.first ? 'cg-first' : null);
      item.appendChild(el('span', 'cg-date', n.date || 'undated'));
      item.appendChild(el('span', null, ' ' + (n.chain && n.chain.length ? n.chain.join(' \u2192 ') : '') +
        (n.doc ? ' in ' + n.doc : '') + ': '));
      item.appendChild(el('q', null, n.text || n.t));
      var show = el('button', 'cg-show', 'show');
      show.type = 'button';
      show.addEventListener('click', function () { focusOn(id); });
      item.appendChild(show);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (t.disputers.length) {
      box.appendChild(el('div', 'cg-meta', 'disputed by:'));
      var against = el('ul', 'cg-timeline');
      t.disputers.forEach(function (id) {
        var n = byId.get(id);
        var item = el('li');
        item.appendChild(el('span', 'cg-date', n.date || 'undated'));
        item.appendChild(el('span', null, ' ' + (n.chain && n.chain.length ? n.chain[0] : '') + ': '));
        item.appendChild(el('q', null, n.text || n.t));
        against.appendChild(item);
      });
      box.appendChild(against);
    }
    box.appendChild(el('div', 'cg-meta', t.iri));
  }
  function selectThread(index) {
    var t = data.threads[index];
    if (!t) { reset(); return; }
    var keep = [];
    t.members.concat(t.disputers).forEach(function (id) { keep = keep.concat(data.chains[id] || [id]); });
    if (data.thread === null) applyHighlight(keep);
    selectedThread = index;
    fillThread(details, t);
    details.hidden = false;
    Array.prototype.forEach.call(threadList.children, function (li, i) { li.classList.toggle('cg-active', i === index); });
  }
  if (data.threads.length) {
    document.getElementById('cg-threads').hidden = false;
    data.threads.forEach(function (t, i) {
      var li = el('li');
      var button = el('button', 'cg-thread', t.label);
      button.type = 'button';
      button.title = t.iri;
      button.addEventListener('click', function () { selectThread(i); });
      li.appendChild(button);
      li.appendChild(el('div', 'cg-meta', threadSummary(t)));
      threadList.appendChild(li);
    });
  }

  // --- initial view: everything when it fits at a readable size, else the first block at that size -------------
  function initialView() {
    // The box comes from the layout (Python): before the first frame vis-network has not measured any label.
    var box = data.view;
    if (!box) return;
    var visible = data.nodes.filter(function (n) { return nodeVisible(n.id); }).length;
    var pad = 24, w = container.clientWidth, h = container.clientHeight;
    var fit = Math.min((w - 2 * pad) / (box.right - box.left), (h - 2 * pad) / (box.bottom - box.top));
    var scale = Math.min(fit, 1.25);
    var centre = { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
    if (scale < data.minScale) {
      scale = data.minScale;
      // Whichever side does not fit starts at its top or left edge: the first article, read from its sources.
      if ((box.right - box.left) * scale > w - 2 * pad) centre.x = box.left + (w / 2 - pad) / scale;
      if ((box.bottom - box.top) * scale > h - 2 * pad) centre.y = box.top + (h / 2 - pad) / scale;
      if (!data.note) status.textContent = 'Zoom out (mouse wheel) or search to see all ' + visible + ' nodes.';
    }
    network.moveTo({ position: centre, scale: scale, animation: false });
    initial = { box: box, fit: fit, scale: scale };
  }
  var initial = null;

  // --- ready -----------------------------------------------------------------------------------------------------
  if (!data.nodes.length) container.appendChild(el('div', 'cg-empty', data.emptyMessage));
  if (data.note) status.textContent = data.note;

  window.claimgraph = {
    network: network, nodes: nodes, edges: edges, data: data,
    select: select, reset: reset, search: search, selectThread: selectThread, setGroup: setGroup,
    setAllGroups: setAllGroups, nodeVisible: nodeVisible, selectedThread: function () { return selectedThread; },
    initialView: function () { return initial; }, expandedGroups: function () { return Array.from(expanded); },
    highlightedNodes: function () {
      return state.highlighted ? Array.from(state.highlighted).sort(function (a, b) { return a - b; }) : null;
    },
    dimmedNodes: function () {
      return state.highlighted ? data.nodes.map(function (n) { return n.id; })
        .filter(function (id) { return nodeVisible(id) && !state.highlighted.has(id); }) : [];
    },
    highlightedEdges: function () { return overlay ? overlay.edges.slice() : null; },
    idOf: function (iri) { var n = data.nodes.find(function (x) { return x.iri === iri; }); return n ? n.id : null; }
  };
  function ready() {
    if (window.claimgraphReady) return;
    window.claimgraphReady = true;
    window.claimgraphReadyAt = performance.now();
  }
  network.once('afterDrawing', ready);
  initialView();
  if (data.thread !== null && data.threads.length) {
    var focus = data.threads.findIndex(function (t) { return t.iri === data.thread; });
    if (focus >= 0) selectThread(focus);
  }
  if (!data.nodes.length) ready();
})();
