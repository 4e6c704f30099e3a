"""Browser tests: a package, so its one browser and one site are shut down when its tests end
(package-scoped fixtures), before any other test module starts a Playwright of its own."""
