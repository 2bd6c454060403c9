package cli

import (
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app/icd10"
)

const icd10Results = 20

func icd10Cmd(args []string, env Env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: icd10 needs 'search WORDS...' or 'code CODE'", errUsage)
	}
	fs, _ := newFlags("icd10 "+args[0], env)
	limit := fs.Int("n", icd10Results, "how many matches to print")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: icd10 %s needs an argument", errUsage, args[0])
	}
	ix, err := icd10.Load()
	if err != nil {
		return err
	}
	switch args[0] {
	case "search":
		q := strings.Join(fs.Args(), " ")
		found := ix.Search(q, *limit)
		if len(found) == 0 {
			return fmt.Errorf("icd10: no code matches %q", q)
		}
		for _, c := range found {
			fmt.Fprintf(env.Stdout, "%s\t%s\n", c.Code, c.Long)
		}
		return nil
	case "code":
		c, ok := ix.Lookup(fs.Arg(0))
		if !ok {
			return fmt.Errorf("icd10: %q is not an ICD-10-CM FY2026 billable code", fs.Arg(0))
		}
		fmt.Fprintf(env.Stdout, "%s\t%s\n", c.Code, c.Long)
		return nil
	}
	return fmt.Errorf("%w: icd10 %q: use 'search' or 'code'", errUsage, args[0])
}
