package polls

// SetFormPlatforms lets tests offer score forms on the console; it returns a
// function restoring the platforms.
func SetFormPlatforms(platforms ...string) func() {
	old := formPlatforms
	formPlatforms = platforms
	return func() { formPlatforms = old }
}
