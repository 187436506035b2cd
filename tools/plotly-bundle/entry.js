// The traces the dashboard draws (analytics/charts.py, the SQL workbench's bar and line) and no
// others: scatter comes with the core. Chinese for the mode bar's tooltips.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/funnel'), require('plotly.js/lib/heatmap')]);
Plotly.register(require('plotly.js/lib/locales/zh-cn'));
Plotly.setPlotConfig({ locale: 'zh-CN' });

window.Plotly = Plotly;
