module github.com/chatwork-notify/chatwork-notify

go 1.26.8

require (
	github.com/google/go-github/v60 v60.0.0
	github.com/sethvargo/go-githubactions v1.3.2
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/google/go-querystring v1.1.0 // indirect
)
