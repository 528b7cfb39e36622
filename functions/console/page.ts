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
<main id="app"></main>
<script src="console/app.js"></script>
</body>
</html>
`;

export const CONSOLE_CSS = `
:root { --ink: #1d2433; --muted: #5f6b7a; --line: #d9dee6; --accent: #1f6feb; --bad: #c62828; --bg: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 960px; margin: 0 auto; padding: 24px; }
header { display: flex; align-items: baseline; gap: 16px; margin-bottom: 16px; }
header h1 { margin: 0; flex: 1; font-size: 22px; }
h2 { font-size: 18px; margin: 16px 0 8px; }
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
.record h4 { margin: 0 0 4px; font-size: 15px; }
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
`;
