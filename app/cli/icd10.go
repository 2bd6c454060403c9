package cli

import (
	"fmt"
	"slices"
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
	explain := fs.Bool("explain", false, "print why each code matched (abbreviation, lay term, typo, index entry)")
	// --explain may also follow the words ("icd10 search bph --explain").
	rest := slices.DeleteFunc(slices.Clone(args[1:]), func(a string) bool {
		if a == "--explain" || a == "-explain" {
			*explain = true
			return true
		}
		return false
	})
	if err := parse(fs, rest); err != nil {
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
		found := ix.Find(q, *limit, icd10.Options{})
		if len(found) == 0 {
			return fmt.Errorf("icd10: no code matches %q", q)
		}
		for _, c := range found {
			if *explain && c.Why != "" {
				fmt.Fprintf(env.Stdout, "%s\t%s\t(%s)\n", c.Code.Code, c.Long, c.Why)
			} else {
				fmt.Fprintf(env.Stdout, "%s\t%s\n", c.Code.Code, c.Long)
			}
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
