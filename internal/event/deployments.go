package event

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-github/v60/github"
)

// The deployments and manual-runs family.

func fromDeploymentStatus(b *builder, e *github.DeploymentStatusEvent) {
	d, ds := e.GetDeployment(), e.GetDeploymentStatus()
	b.Deployment = Deployment{
		Environment: cmp.Or(ds.GetEnvironment(), d.GetEnvironment()),
		State:       ds.GetState(),
		URL:         cmp.Or(ds.GetEnvironmentURL(), ds.GetTargetURL(), ds.GetLogURL()),
		Description: ds.GetDescription(),
	}
	b.report(ds.GetState())
	b.setSHA(d.GetSHA())
	if b.Ref == "" && d.GetRef() != "" {
		b.RefName = d.GetRef()
	}
}

func fromWorkflowDispatch(b *builder, e *github.WorkflowDispatchEvent) {
	if b.Ref == "" {
		b.setRef(e.GetRef())
	}
	b.Inputs = dispatchInputs(b.Payload)
}

func fromRepositoryDispatch(b *builder, e *github.RepositoryDispatchEvent) {
	if b.Ref == "" && e.GetBranch() != "" {
		b.setRef("refs/heads/" + e.GetBranch())
	}
}

// dispatchInputs returns the workflow_dispatch inputs, sorted by name.
func dispatchInputs(payload map[string]any) []Input {
	m, _ := payload["inputs"].(map[string]any)
	var in []Input
	for k, v := range m {
		if v == nil {
			continue
		}
		in = append(in, Input{Name: k, Value: fmt.Sprint(v)})
	}
	slices.SortFunc(in, func(a, b Input) int { return strings.Compare(a.Name, b.Name) })
	return in
}
