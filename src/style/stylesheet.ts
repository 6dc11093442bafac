/**
 * The one stylesheet of everything we render as HTML: the web UI serves it as
 * `/static/style.css`, and the self-contained reports (training report, EDA,
 * drift) embed it in a `<style>` element, so a report opened from disk and
 * the UI page that previews it look like one product.
 *
 * @module
 */

/** The shared CSS. */
export const STYLESHEET = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg:#fff;--panel:#f5f7fa;--accent:#3b6ea8;--link:#0b62c4;
--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--run:#0550ae}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:16px 32px 48px}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:24px;margin:8px 0 12px}h3{font-size:16px;margin:20px 0 8px}
h2{font-size:19px;margin:32px 0 12px;border-bottom:2px solid var(--accent);padding-bottom:4px}
body>header{padding:20px 32px 12px;border-bottom:1px solid var(--line);background:var(--panel)}
body>header h1{margin:0 0 4px}
body>header nav{display:flex;flex-wrap:wrap;gap:6px 18px}body>header nav a{font-weight:600}
nav.top{display:flex;gap:18px;align-items:center;padding:10px 32px;background:#1f2933}
nav.top a{color:#f0f6fc;font-weight:500}nav.top .brand{font-weight:700;margin-right:12px}
.subtitle{margin:0 0 10px;color:var(--muted)}.note,.notes li{color:var(--muted);max-width:900px}
.muted{color:var(--muted)}.small{font-size:12px}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--panel);padding:0 3px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td{overflow-wrap:break-word}td.wrap{overflow-wrap:anywhere}th{background:var(--panel);font-weight:600;white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.selected td{font-weight:600;background:#eef6ee}tr.child td:first-child{padding-left:28px}tr.context td{color:var(--muted)}
body.training{max-width:1100px;margin:24px auto;padding:0 16px}
body.training td,body.training th{text-align:right}
body.training td:first-child,body.training th:first-child{text-align:left}
.badge{display:inline-block;white-space:nowrap;color:#fff;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;
vertical-align:middle;background:var(--muted)}
.badge.champion{background:var(--ok)}.badge.challenger{background:var(--run)}
.state-Completed,.state-FINISHED,.state-Cached,.status-stable{background:var(--ok)}
.state-Failed,.state-FAILED,.state-KILLED,.state-Crashed,.status-alert{background:var(--bad)}
.state-Running,.state-RUNNING,.state-Retrying{background:var(--run)}.status-warning{background:var(--warn)}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:150px;background:var(--bg)}
.card .value{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums}.card .name{color:var(--muted);font-size:12px}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
.panel{border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:var(--bg);overflow-x:auto}
.panel h2{margin-top:4px}
.grid{display:grid;gap:16px 24px;grid-template-columns:repeat(auto-fill,minmax(460px,1fr))}
.grid.narrow{grid-template-columns:repeat(auto-fill,minmax(340px,1fr))}
.grid.wide{grid-template-columns:repeat(auto-fill,minmax(440px,1fr))}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:16px}
.chart{border:1px solid var(--line);padding:8px}.chart h3{font-size:14px;margin:0 0 6px}
figure{margin:8px 0}figcaption{color:var(--muted);font-size:13px;margin-top:2px}
svg{max-width:100%;height:auto}.plot{max-width:100%;overflow:auto}
form.inline{display:inline}form.bar{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:8px 0}
label{font-size:12px;color:var(--muted);display:flex;flex-direction:column;gap:2px}
input,select,button{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px}
button{background:var(--panel);cursor:pointer}button.primary{background:var(--link);color:#fff;border-color:var(--link)}
.tabs{display:flex;gap:4px;border-bottom:1px solid var(--line);margin:10px 0}
.tabs a{padding:6px 12px;border:1px solid transparent;border-bottom:none;border-radius:6px 6px 0 0}
.tabs a.active{border-color:var(--line);background:var(--bg);font-weight:600;margin-bottom:-1px}
.error{border:1px solid var(--bad);background:#ffebe9;padding:10px 14px;border-radius:6px}
pre{background:var(--panel);padding:8px;overflow:auto;max-height:420px;font-size:12px}
iframe.report{width:100%;height:600px;border:1px solid var(--line)}
.artifacts{display:grid;grid-template-columns:minmax(260px,1fr) 2.5fr;gap:16px;align-items:start}
.artifacts tr.selected td{background:#ddf4ff;font-weight:400}.preview pre{max-height:640px}.artifact-image{max-width:100%}
.delta-up{color:var(--ok)}.delta-down{color:var(--bad)}
.log-error{color:var(--bad)}.log-warn{color:var(--warn)}
@media print{nav{display:none}section{break-inside:avoid-page}}
`;
