/**
 * Chart.js with only what the app's charts use (line, bar and radar charts, their scales, the legend, the tooltips and
 * the radar's fill), instead of `chart.js/auto` with every chart type: a third less to download and to run before the
 * first chart is drawn. Its own chunk, loaded by shared/chart.svelte.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  RadarController,
  RadialLinearScale,
  Tooltip,
} from 'chart.js';

Chart.register(
  LineController,
  BarController,
  RadarController,
  CategoryScale,
  LinearScale,
  RadialLinearScale,
  PointElement,
  LineElement,
  BarElement,
  Filler,
  Legend,
  Tooltip,
);

export { Chart };
