module github.com/chatwork-notify/chatwork-notify

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/google/go-github/v60 v60.0.0
	github.com/sethvargo/go-githubactions v1.3.2
	gopkg.in/yaml.v3 v3.0.1
)

require github.com/google/go-querystring v1.1.0 // indirect
