/** The console page: one root element, our own stylesheet and script (no CDN), relative URLs so any base path works. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keiro console</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="console/console.css">
</head>
<body>
<div id="app"></div>
<script src="console/app.js"></script>
</body>
</html>
`;

export const CONSOLE_CSS = `
:root { --ink: #1d2433; --muted: #5f6b7a; --line: #d9dee6; --accent: #1a5fd0; --bad: #c62828; --bg: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
a { color: var(--accent); }
header.top { display: flex; align-items: center; gap: 16px; padding: 10px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header.top .brand { flex: 1; font-weight: 700; font-size: 17px; color: var(--ink); text-decoration: none; }
header.top .me { color: var(--muted); }
h1 { font-size: 24px; margin: 4px 0 12px; }
h2 { font-size: 18px; margin: 20px 0 8px; }
.page-title { margin-bottom: 12px; }
.page-title .back { font-size: 14px; text-decoration: none; }
.page-title .subtitle { color: var(--muted); margin: 0; }
.replay-title { display: flex; align-items: baseline; gap: 16px; }
.replay-title h1 { flex: 1; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tiles { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
.tile { display: flex; flex-direction: column; gap: 4px; height: 100%; padding: 14px 16px; background: #fff; border: 1px solid var(--line); border-radius: 10px; color: var(--ink); text-decoration: none; }
.tile:hover, .tile:focus { border-color: var(--accent); }
.tile-title { font-weight: 600; font-size: 16px; color: var(--accent); }
.tile-text { color: var(--muted); font-size: 14px; }
.badge { display: inline-block; min-width: 22px; padding: 0 7px; border-radius: 999px; background: #e7eefc; color: #174ea6; font-size: 13px; font-weight: 600; text-align: center; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin-bottom: 12px; }
.panel h2, .panel h3 { margin-top: 0; }
.cards { list-style: none; padding: 0; display: grid; gap: 10px; }
.table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px; font-size: 14px; margin-bottom: 12px; }
.table th, .table td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
.table thead th { background: var(--bg); color: var(--ink); font-weight: 600; }
.table tbody th { font-weight: 600; }
.overdue { color: var(--bad); }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 16px; margin-bottom: 12px; }
.toolbar select { width: auto; margin-left: 6px; }
.segmented { display: inline-flex; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; background: #fff; }
.segmented a { padding: 6px 14px; text-decoration: none; }
.segmented a[aria-current=page] { background: var(--accent); color: #fff; }
a.button { display: inline-block; padding: 6px 14px; border: 1px solid var(--line); border-radius: 6px; background: #fff; text-decoration: none; color: var(--ink); }
a.button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.report-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.report-grid > div { overflow-x: auto; }
.report-grid.wide { grid-template-columns: 1fr; }
main:has(.journey-page), main:has(.definition-page) { max-width: 1400px; }
.paths figcaption { display: flex; justify-content: space-between; }
.screen > h2:first-child, .panel > h2:first-child { margin-top: 0; }
.paths { margin: 0; }
.paths figcaption { font-weight: 600; margin-bottom: 8px; }
.paths img { width: 100%; height: auto; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; }
.stats div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; }
.stats dt { font-size: 13px; }
.stats dd { margin: 0; font-size: 22px; font-weight: 600; }
.fields { margin: 0; }
.fields dd { margin: 0; overflow-wrap: anywhere; }
.notes { list-style: none; padding: 8px 12px; background: #e9f7ef; border: 1px solid #b7e1c7; border-radius: 8px; }
.tabs { list-style: none; padding: 0; display: flex; gap: 16px; flex-wrap: wrap; }
fieldset { border: none; padding: 0; margin: 12px 0; min-width: 0; }
fieldset > legend { font-weight: 600; margin-bottom: 4px; padding: 0; }
fieldset.inline { margin: 0; display: flex; gap: 12px; }
.buttons.start { justify-content: flex-start; }
label.inline { align-self: center; }
.buttons select { width: auto; }
.display-label { font-size: 15px; margin: 0 0 4px; }
@media (max-width: 900px) { .report-grid, .replay-grid { grid-template-columns: 1fr; } }
button { font: inherit; padding: 6px 14px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.link { border: none; background: none; color: var(--accent); padding: 0; }
button:disabled { opacity: 0.6; cursor: default; }
.users { display: flex; flex-wrap: wrap; gap: 8px; }
.users small { color: var(--muted); margin-left: 4px; }
.lists { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.lists ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
.screen, .result, .sign-in form { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px; }
.field { margin: 12px 0; }
.field > label { display: block; font-weight: 600; margin-bottom: 4px; }
.req { color: var(--bad); }
input, select, textarea { font: inherit; width: 100%; padding: 7px 9px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.choices { display: grid; gap: 6px; }
.choice { display: flex; gap: 8px; align-items: center; font-weight: normal; }
.choice input { width: auto; }
.has-error input, .has-error select, .has-error textarea { border-color: var(--bad); }
.error { color: var(--bad); margin: 4px 0 0; }
.note { color: var(--muted); }
.description { color: var(--muted); margin-top: 0; }
.display { background: var(--bg); padding: 8px 10px; border-radius: 6px; margin: 0; }
.buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
.kanban select { width: auto; margin-right: 8px; }
.columns { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(160px, 1fr); gap: 12px; overflow-x: auto; margin-top: 12px; }
.column { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.column h3 { font-size: 14px; margin: 0 0 8px; display: flex; justify-content: space-between; }
.count { color: var(--muted); }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; margin-bottom: 6px; font-size: 13px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dt { color: var(--muted); }
.replay-picker form { display: flex; gap: 8px; max-width: 480px; }
.sign-in form label { display: block; font-weight: 600; margin-bottom: 4px; }
.replay-picker .leads { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.replay-picker small, .tasks small { color: var(--muted); }
main:has(.replay) { max-width: 1280px; }
.controls { display: flex; align-items: center; gap: 8px; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
.controls input[type=range] { flex: 1; width: auto; }
.position { color: var(--muted); white-space: nowrap; }
.happened { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 10px; padding: 12px 16px; margin: 12px 0; }
.happened[data-kind=journey] { border-left-color: #8250df; }
.happened h2 { margin: 2px 0; }
.happened time, .timeline time { color: var(--muted); font-size: 13px; }
h2.section { font-size: 15px; color: var(--muted); }
.happened .by { color: var(--muted); margin: 0; }
.happened ul { margin: 6px 0 0; padding-left: 20px; }
.replay-grid { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 16px; align-items: start; }
.journey { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; margin-bottom: 12px; }
.journey h3 { margin: 0 0 6px; font-size: 14px; color: var(--muted); }
.journey p { margin: 4px 0 0; font-size: 13px; }
.stages { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; padding: 0; margin: 4px 0; }
.stages li { font-size: 12px; padding: 2px 8px; border-radius: 999px; background: var(--bg); color: var(--muted); border: 1px solid var(--line); }
.stages li.past { color: var(--ink); }
.stages li.current { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
.records { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.record { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; font-size: 13px; }
.record.changed { border-color: var(--accent); box-shadow: 0 0 0 2px rgba(31, 111, 235, 0.15); }
.record.deleted { opacity: 0.5; }
.record h3 { margin: 0 0 4px; font-size: 15px; }
.record .module { color: var(--muted); font-weight: normal; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; margin-right: 4px; }
.record dl { margin: 6px 0 0; gap: 2px 12px; }
.record dd { margin: 0; overflow-wrap: anywhere; }
.record dd.hl { background: #fff3bf; border-radius: 4px; padding: 0 4px; }
.tasks { list-style: none; padding: 0; margin: 0; display: grid; gap: 6px; }
.tasks li { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; font-size: 13px; }
.tasks li.changed { border-color: var(--accent); }
.timeline { list-style: none; margin: 0; padding: 8px; background: #fff; border: 1px solid var(--line); border-radius: 10px; max-height: 640px; overflow-y: auto; font-size: 13px; }
.timeline li { padding: 4px 6px; border-radius: 6px; }
.timeline li.past button { color: var(--muted); }
.timeline li.current { background: #eaf2ff; }
.timeline li.current button { color: var(--ink); font-weight: 600; }
.timeline button { text-align: left; font-size: 13px; }
.definition-card { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; margin: 0; }
.definition-card a { font-weight: 600; }
.draft textarea { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; min-height: 200px; }
.draft .error:empty { display: none; }
.page-title .button { margin-top: 6px; }
.shadow { margin-top: 20px; }
.shadow-progress progress { width: 100%; height: 10px; }
.problem ul { margin: 4px 0 0; padding-left: 20px; }
.problem code { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
td.more { color: #1b5e20; font-weight: 600; }
td.fewer { color: var(--bad); font-weight: 600; }
.change-lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
.changes h4 { margin: 0 0 6px; }
.changes > ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
.records-changed { margin: 4px 0 0; padding-left: 18px; font-size: 14px; overflow-wrap: anywhere; }
.samples summary { cursor: pointer; font-weight: 600; }
.samples .table { margin: 8px 0 0; }
.shadow-journey .subtitle { color: var(--muted); margin: 0 0 8px; }
@media (max-width: 600px) { main { padding: 12px; } header.top { padding: 10px 12px; flex-wrap: wrap; } .stats dd { font-size: 18px; } }
`;
