package prompts

// Names of the templates of the rate and weekly charts (charts.tmpl).
const (
	ChartMonth               = "chart.month"                // a month's label on the axis
	ChartTrendTitle          = "chart.trend_title"          // the satisfaction of the last months
	ChartTrendSubtitle       = "chart.trend_subtitle"       //
	ChartDepartmentsTitle    = "chart.departments_title"    // the departments' 三率
	ChartDepartmentsSubtitle = "chart.departments_subtitle" //
	ChartResponse            = "chart.response"             // series names
	ChartResolution          = "chart.resolution"           //
	ChartSatisfaction        = "chart.satisfaction"         //
	ChartCaption             = "chart.caption"              // #统计 图表: the picture's text, or that there is nothing to draw
	ChartSentPrivately       = "chart.sent_privately"       // asked outside a staff group: the picture went privately
	ChartWeeklyTitle         = "chart.weekly_title"         // the weekly summary's chart
	ChartWeeklySubtitle      = "chart.weekly_subtitle"      //
	ChartWeeklyResolved      = "chart.weekly_resolved"      // bar labels beside the kinds
	ChartWeeklyAnswered      = "chart.weekly_answered"      //
)
