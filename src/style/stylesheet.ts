/**
 * The one stylesheet of everything we render as HTML: the web UI serves it as
 * `/static/style.css`, and the self-contained reports (training report, EDA,
 * drift) embed it in a `<style>` element so a report opened from disk looks
 * like the UI page that previews it.
 *
 * @module
 */

/** The shared CSS. */
export const STYLESHEET = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;--accent:#0969da;
--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--run:#0550ae}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
main,body>section,body>header.report{max-width:1200px;margin:0 auto;padding:16px 20px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:22px;margin:8px 0 12px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
nav.top{display:flex;gap:18px;align-items:center;padding:10px 20px;background:#24292f;color:#fff}
nav.top a{color:#f0f6fc;font-weight:500}nav.top .brand{font-weight:700;margin-right:12px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}
th{background:var(--panel);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.child td:first-child{padding-left:28px}tr.context td{color:var(--muted)}
.muted{color:var(--muted)}.small{font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--muted)}
.badge.champion{background:var(--ok)}.badge.challenger{background:var(--run)}
.state-Completed,.state-FINISHED,.state-Cached,.status-stable{background:var(--ok)}
.state-Failed,.state-FAILED,.state-KILLED,.state-Crashed,.status-alert{background:var(--bad)}
.state-Running,.state-RUNNING,.state-Retrying{background:var(--run)}.status-warning{background:var(--warn)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:var(--bg);overflow-x:auto}
.artifacts{display:grid;grid-template-columns:minmax(260px,1fr) 2.5fr;gap:16px;align-items:start}
.artifacts tr.selected td{background:#ddf4ff}.preview pre{max-height:640px}.artifact-image{max-width:100%}
.card h2{margin-top:4px}
form.inline{display:inline}form.bar{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:8px 0}
label{font-size:12px;color:var(--muted);display:flex;flex-direction:column;gap:2px}
input,select,button{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px}
input[type=text],input:not([type]){min-width:140px}
button{background:var(--panel);cursor:pointer}button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}
.tabs{display:flex;gap:4px;border-bottom:1px solid var(--line);margin:10px 0}
.tabs a{padding:6px 12px;border:1px solid transparent;border-bottom:none;border-radius:6px 6px 0 0}
.tabs a.active{border-color:var(--line);background:var(--bg);font-weight:600;margin-bottom:-1px}
.error{border:1px solid var(--bad);background:#ffebe9;padding:10px 14px;border-radius:6px}
pre{background:var(--panel);padding:8px;overflow:auto;max-height:420px;font-size:12px}
iframe.report{width:100%;height:600px;border:1px solid var(--line)}
.chart{max-width:100%;overflow:auto}.chart svg{max-width:100%;height:auto}
.pager{display:flex;gap:12px;align-items:center}
.delta-up{color:var(--ok)}.delta-down{color:var(--bad)}
.log-ERROR,.log-error{color:var(--bad)}.log-WARN,.log-warn{color:var(--warn)}
`;
