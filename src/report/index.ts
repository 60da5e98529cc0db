/**
 * The self-contained HTML report of a run: pure builders of its parts (loss chart, contact sheet,
 * hold-out section, page), the frame sampler that feeds it, and the writer.
 */
export { writeReport, type ReportData, type FrameMapData } from './write-report';
export { frameMapSvg, type FrameMapPoint, type FrameMapOptions } from './frame-map';
export { reportPage, type ReportPageData } from './report-page';
export { lossChartSvg, niceTicks, type ChartSeries, type LossChartOptions } from './loss-chart';
export { contactSheetHtml, type ContactSheetRow } from './contact-sheet';
export { holdoutSectionHtml, type HoldoutFigure } from './holdout-section';
export { cutOutPreview } from './cut-out-preview';
export { sampleIndices } from './sample-indices';
export { FrameSampler, type SampledFrame } from './frame-sampler';
export { escapeHtml, relativeUrl } from './escape-html';
