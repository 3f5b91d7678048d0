package prompts

// Names of the project templates (projects.tmpl, handlers/projects).
const (
	ProjectUsage             = "projects.usage"
	ProjectForbidden         = "projects.forbidden"
	ProjectNotFound          = "projects.not_found"
	ProjectMalformed         = "projects.malformed" // what was understood, and what to fix
	ProjectCreated           = "projects.created"
	ProjectLinked            = "projects.linked"
	ProjectLinkProblems      = "projects.link_problems"
	ProjectShow              = "projects.show"
	ProjectList              = "projects.list"
	ProjectStateName         = "projects.state_name"
	ProjectProgressUsage     = "projects.progress_usage"
	ProjectProgressForbidden = "projects.progress_forbidden"
	ProjectNotBuilding       = "projects.not_building"
	ProjectNoMilestone       = "projects.no_milestone"
	ProjectUpdate            = "projects.update"          // posted into the project's groups
	ProjectUpdateFollower    = "projects.update_follower" // privately to each follower
	ProjectPhoto             = "projects.photo"           // a further photo of an update
	ProjectUpdated           = "projects.updated"         // the reply to #进展
	ProjectFollowUsage       = "projects.follow_usage"
	ProjectFollowed          = "projects.followed"
	ProjectUnfollowed        = "projects.unfollowed"
	ProjectCompleteUsage     = "projects.complete_usage"
	ProjectCompleted         = "projects.completed"          // into the groups: the 评议 opens
	ProjectCompletedFollower = "projects.completed_follower" // privately to each follower
	ProjectCompleteDone      = "projects.complete_done"      // the reply to #完工
	ProjectReviewUsage       = "projects.review_usage"
	ProjectReviewNotYet      = "projects.review_not_yet"
	ProjectReviewClosed      = "projects.review_closed"
	ProjectReviewOutsider    = "projects.review_outsider"
	ProjectReviewUnclear     = "projects.review_unclear"
	ProjectReviewNoRoom      = "projects.review_no_room"
	ProjectReviewTwice       = "projects.review_twice"
	ProjectReviewed          = "projects.reviewed"
	ProjectReviewReminder    = "projects.review_reminder"
	ProjectReviewResult      = "projects.review_result"
	ProjectExport            = "projects.export"
)
