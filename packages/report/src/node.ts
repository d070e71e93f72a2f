/**
 * Node-only parts of the report: rendering specs to SVG (vega) and PNG (resvg), reading run
 * directories, writing the report.
 */
export { renderSvg, svgToPng, compileFigure, type RenderedFigure } from './render';
export { figureFontFiles } from './fonts';
export { readReportInput, type ReportInput } from './report-input';
export { prepareReportFolder, writeReport, type WriteReportOptions, type WrittenReport } from './write-report';
export { liveReport, liveReportSink, type LiveReport, type LiveReportOptions } from './live-report';
export { reportPreset, PRESET_REPORT_DIR } from './preset-report';
