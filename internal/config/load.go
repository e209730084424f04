package config

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
	"github.com/sethvargo/go-githubactions"
)

// Load reads every input. args are the command-line arguments without the
// program name; a flag wins over the INPUT_<NAME> variable, which wins over
// the input's variable outside Actions, which wins over the default.
// getenv reads the environment; usage receives -h output and flag errors.
// Every input binds itself (Input.Bind); validate then checks the rules
// between inputs. All errors are returned at once.
func Load(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	raw, extra, err := readInputs(args, getenv, usage)
	if err != nil {
		return nil, err
	}
	cfg := &Config{Run: Run{
		EventName: cmp.Or(extra.eventName, getenv("GITHUB_EVENT_NAME")),
		EventPath: cmp.Or(extra.eventPath, getenv("GITHUB_EVENT_PATH")),
		CI:        strings.ToLower(strings.TrimSpace(extra.ci)),
		Workspace: cmp.Or(getenv("GITHUB_WORKSPACE"), "."),
		Actions:   getenv("GITHUB_ACTIONS") == "true",
	}}
	var errs []error
	for _, in := range Inputs {
		if err := in.Bind.set(cfg, in.Name, raw[in.Name]); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, cfg.validate(getenv("GITHUB_WORKSPACE"))...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cfg, nil
}

// validate holds every rule between inputs, and derives what depends on
// several of them.
func (c *Config) validate(workspace string) []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	c.Chatwork.SkipNoToken = c.Chatwork.Token == "" && c.Chatwork.skip
	add(checkToken(c.Chatwork.Token, c.Run.DryRun || c.Chatwork.SkipNoToken, c.Run.Actions))
	if len(c.Delivery.Rooms) == 0 && !c.Run.DryRun {
		_, err := parseRoom("")
		add(err)
	}
	ids, err := parseMessageIDs(c.Delivery.messageID, c.Delivery.Rooms)
	add(err)
	add(checkMessageRooms(ids, c.Delivery.Rooms))
	c.Delivery.MessageIDs = ids
	if c.Delivery.closeTasks == "" {
		c.Delivery.CloseTasks = len(c.Delivery.TaskTo) > 0
	} else {
		c.Delivery.CloseTasks, err = parseBool("close-tasks", c.Delivery.closeTasks)
		add(err)
	}
	add(loadTemplate(&c.Message, c.Message.Template, c.Message.templateFile, workspace))
	add(mergeTexts(&c.Message))
	if c.Run.CI != "" && !slices.Contains(cienv.Names, c.Run.CI) {
		add(fmt.Errorf("flag --ci: %q is not one of %s", c.Run.CI, strings.Join(cienv.Names, ", ")))
	}
	if c.Message.DedupeKey != "" && !c.Delivery.Dedupe {
		c.Warnings = append(c.Warnings, "dedupe-key is set but dedupe is false, so no duplicate check is made; set dedupe: true")
	}
	if c.Delivery.Mode == deliver.Ask {
		for _, err := range c.askRules() {
			add(err)
		}
	} else if len(c.Delivery.Ask.Approvers) > 0 {
		c.Warnings = append(c.Warnings, "approvers is set but mode is not ask, so nobody is asked; set mode: ask")
	}
	if c.Insight.Report == ReportReviews && c.Insight.NotifyWhen != NotifyAlways {
		add(inputErr("notify-when", "is %s, but report: reviews posts a reminder, which has no result to compare; leave notify-when at always", c.Insight.NotifyWhen))
	}
	if len(c.Insight.TestResults) > 0 && !c.Insight.Details {
		c.Warnings = append(c.Warnings, "test-results is set but details is false, so the reports are not read; set details: true, or remove test-results")
	}
	return errs
}

// askRules are the rules of mode: ask. The approvers are also addressed
// by the question, before the to input's accounts.
func (c *Config) askRules() []error {
	var errs []error
	if len(c.Delivery.Ask.Approvers) == 0 {
		errs = append(errs, inputErr("approvers", "is empty, but mode: ask needs the Chatwork account IDs whose answer counts (in the room, press TO and pick the person: [To:1234567] shows the ID)"))
	}
	if len(c.Delivery.Rooms) > 1 {
		errs = append(errs, inputErr("room", "lists %d rooms, but mode: ask waits for an answer in one room; give one", len(c.Delivery.Rooms)))
	}
	if c.Delivery.Dedupe {
		errs = append(errs, inputErr("dedupe", "is true, but mode: ask asks anew each time; remove dedupe"))
	}
	if len(c.Delivery.TaskTo) > 0 {
		errs = append(errs, inputErr("task-to", "is set, but mode: ask creates no task; remove task-to"))
	}
	// A gate that could pass without asking is no gate.
	if c.Chatwork.skip {
		errs = append(errs, inputErr("on-missing-token", "is skip, but with mode: ask an empty token would pass the gate without asking anyone; leave it at fail"))
	}
	if c.Insight.NotifyWhen != NotifyAlways {
		errs = append(errs, inputErr("notify-when", "is %s, but with mode: ask a skipped question would pass the gate without asking anyone; leave notify-when at always", c.Insight.NotifyWhen))
	}
	c.People.ToIDs = append(slices.Clone(c.Delivery.Ask.Approvers), c.People.ToIDs...)
	return errs
}

// mergeTexts puts success-text and failure-text into Texts as the
// succeeded and failed classes; a class given twice is an error.
func mergeTexts(m *Message) error {
	if m.Texts == nil {
		m.Texts = map[event.Class]string{}
	}
	for _, t := range []struct {
		input, text string
		class       event.Class
	}{{"success-text", m.successText, event.ClassSucceeded}, {"failure-text", m.failureText, event.ClassFailed}} {
		if strings.TrimSpace(t.text) == "" {
			continue
		}
		if _, dup := m.Texts[t.class]; dup {
			return inputErr("texts", "gives the %s text a second time; give each outcome class once (success-text and failure-text are the succeeded and failed lines of texts)", t.class)
		}
		m.Texts[t.class] = strings.TrimSpace(t.text)
	}
	return nil
}

// setStatus reads the status input: an outcome word of GitHub or of a CI
// system, or empty.
func setStatus(c *Config, _, v string) (err error) {
	c.Run.Status, err = parseStatus(v, c.Run.Actions)
	return err
}

// setGitHubToken keeps the token; an unevaluated expression passed by
// hand ("${{ github.token }}" outside a runner) counts as none.
func setGitHubToken(c *Config, _, v string) error {
	if !strings.HasPrefix(v, "${{") {
		c.Insight.GitHubToken = v
	}
	return nil
}

// setTo reads the to input: account IDs and the word toall.
func setTo(c *Config, _, v string) (err error) {
	c.People.ToAll, c.People.ToIDs, err = parseTo(v)
	return err
}

// setOnMissingToken reads on-missing-token: fail or skip.
func setOnMissingToken(c *Config, name, v string) error {
	var choice string
	err := enum(func(*Config) *string { return &choice }, "fail", "skip").set(c, name, v)
	c.Chatwork.skip = choice == "skip"
	return err
}

// extraFlags are the command-line flags that are not inputs.
type extraFlags struct {
	eventName, eventPath, ci string
}

// readInputs returns every input's value: its flag, else INPUT_<NAME>,
// else its variable outside Actions, else the default.
func readInputs(args []string, getenv func(string) string, usage io.Writer) (map[string]string, extraFlags, error) {
	var extra extraFlags
	fs := flag.NewFlagSet("chatwork-notify", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, usage printed only for -h
	flags := map[string]*string{}
	for _, in := range Inputs {
		v := new(string)
		flags[in.Name] = v
		*v = in.CodeDefault()
		if in.Bind.boolean {
			fs.Var((*boolFlag)(v), in.Name, in.Help())
		} else {
			fs.StringVar(v, in.Name, in.CodeDefault(), in.Help())
		}
	}
	fs.StringVar(&extra.eventName, "event-name", "", "event name (default $GITHUB_EVENT_NAME)")
	fs.StringVar(&extra.eventPath, "event-path", "", "path of the event JSON (default $GITHUB_EVENT_PATH)")
	fs.StringVar(&extra.ci, "ci", "", "CI system to read: "+strings.Join(cienv.Names, ", ")+" (default: detected)")
	version := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(usage, fs)
			return nil, extra, err
		}
		return nil, extra, flagError(fs, err)
	}
	if *version {
		return nil, extra, ErrVersion
	}
	if fs.NArg() > 0 {
		return nil, extra, fmt.Errorf("unexpected argument %q (inputs are given as --name value, switches as --name or --name=false; see -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	// go-githubactions reads INPUT_<NAME> exactly as the runner sets it
	// (upper case, spaces as underscores, hyphens kept) and trims it.
	gha := githubactions.New(githubactions.WithGetenv(getenv))
	raw := map[string]string{}
	for _, in := range Inputs {
		switch v := gha.GetInput(in.Name); {
		case set[in.Name]:
			raw[in.Name] = strings.TrimSpace(*flags[in.Name])
		case v != "":
			raw[in.Name] = v
		case in.Env != "" && strings.TrimSpace(getenv(in.Env)) != "":
			raw[in.Name] = strings.TrimSpace(getenv(in.Env))
		default:
			raw[in.Name] = in.CodeDefault()
		}
	}
	return raw, extra, nil
}

// Secrets returns every value a secret input has in args (--name v,
// --name=v, -name v, -name=v), in its INPUT_<NAME> variable and in its
// outside-Actions variable, so they can be masked before anything is
// printed, even when the inputs do not parse. A new input is masked
// because it is declared Secret.
func Secrets(args []string, getenv func(string) string) []string {
	return secrets(Inputs, args, getenv)
}

// secrets is Secrets over the given input table.
func secrets(inputs []Input, args []string, getenv func(string) string) []string {
	var vals []string
	add := func(v string) {
		// An unevaluated expression passed by hand is not a secret.
		if v = strings.TrimSpace(v); v != "" && !strings.HasPrefix(v, "${{") {
			vals = append(vals, v)
		}
	}
	for _, in := range inputs {
		if !in.Secret {
			continue
		}
		add(getenv(InputVar(in.Name)))
		if in.Env != "" {
			add(getenv(in.Env))
		}
		for i, a := range args {
			if a == "--" {
				break
			}
			name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !strings.HasPrefix(a, "-") || name != in.Name {
				continue
			}
			if !hasVal && i+1 < len(args) {
				val = args[i+1]
			}
			add(val)
		}
	}
	return vals
}

// InputVar is the variable the runner sets for an input: INPUT_ and the
// name in upper case with spaces as underscores (hyphens stay).
func InputVar(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
}

// flagError says what is wrong with a command line, and for a flag that
// does not exist, which one was meant.
func flagError(fs *flag.FlagSet, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return fmt.Errorf("%w (chatwork-notify -h lists every flag)", err)
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	hint := ""
	if best := text.Closest(name, names); best != "" {
		hint = fmt.Sprintf("; did you mean --%s?", best)
	}
	return fmt.Errorf("unknown flag --%s%s (chatwork-notify -h lists every flag)", name, hint)
}

// UnknownInputs returns a warning for every INPUT_ variable of environ
// that names no input of the action: a misspelt with: key, which the
// runner only warns about (act, Gitea and Forgejo not even that), and
// which otherwise surfaces as "input room: is empty".
func UnknownInputs(environ []string) []string {
	known := map[string]bool{}
	var names []string
	for _, in := range Inputs {
		known[InputVar(in.Name)] = true
		names = append(names, in.Name)
	}
	var warnings []string
	for _, kv := range environ {
		key, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(key, "INPUT_") || known[key] {
			continue
		}
		given := strings.ToLower(strings.TrimPrefix(key, "INPUT_"))
		w := fmt.Sprintf("%s is set, but this action has no input %s (a misspelt with: key?)", key, given)
		if best := text.Closest(strings.ReplaceAll(given, "_", "-"), names); best != "" {
			w += "; did you mean " + best + "?"
		}
		warnings = append(warnings, w)
	}
	slices.Sort(warnings)
	return warnings
}
