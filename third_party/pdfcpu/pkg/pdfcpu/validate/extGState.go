/*
Copyright 2018 The pdfcpu Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

	http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package validate

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// see 8.4.5 Graphics State Parameter Dictionaries

func validateBlendMode(s string) bool {
	// see 11.3.5; table 136

	return types.MemberOf(s, []string{"None", "Normal", "Compatible", "Multiply", "Mult", "Screen", "Overlay", "Darken", "Lighten",
		"ColorDodge", "ColorBurn", "HardLight", "SoftLight", "Difference", "Exclusion",
		"Hue", "Saturation", "Color", "Luminosity"})
}

func validateLineDashPatternEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	a, err := validateArrayEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(a types.Array) bool { return len(a) == 2 })
	if err != nil || a == nil {
		if err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}
		return nil
	}

	// We are dealing with integers which may be represented by Integer or Float objects.

	_, err = validateNumberArray(xRefTable, a[0])
	if err != nil {
		return fmt.Errorf("%s.%s[0]: %w", dictName, entryName, err)
	}

	_, err = validateNumber(xRefTable, a[1])
	if err != nil {
		return fmt.Errorf("%s.%s[1]: %w", dictName, entryName, err)
	}

	return nil
}

func validateFunctionOrNameEntry(xRefTable *model.XRefTable, d types.Dict, dictName, entryName string, required bool, sinceVersion model.Version, validName func(string) bool) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		if err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}
		return nil
	}

	switch o := o.(type) {

	case types.Name:
		if !validName(o.Value()) {
			return fmt.Errorf("%s.%s: invalid name %q", dictName, entryName, o.Value())
		}

	case types.Dict:
		if err = processFunction(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	case types.StreamDict:
		if err = processFunction(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	default:
		return fmt.Errorf("%s.%s: expected function or name, got %T", dictName, entryName, o)

	}

	return nil
}

func validateBGEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	if xRefTable.ValidationMode == model.ValidationStrict {
		return validateFunctionOrNameEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(string) bool { return false })
	}
	return validateFunctionOrNameEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(s string) bool { return s == "Identity" })
}

func validateBG2Entry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	return validateFunctionOrNameEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(s string) bool { return s == "Default" })
}

func validateUCREntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	if xRefTable.ValidationMode == model.ValidationStrict {
		return validateFunctionOrNameEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(string) bool { return false })
	}
	return validateFunctionOrNameEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(s string) bool { return s == "Identity" })
}

func validateUCR2Entry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	return validateFunctionOrNameEntry(xRefTable, d, dictName, entryName, required, sinceVersion, func(s string) bool { return s == "Default" })
}

func validateTransferFunction(xRefTable *model.XRefTable, o types.Object) (err error) {
	switch o := o.(type) {

	case types.Name:
		s := o.Value()
		if s != "Identity" {
			return fmt.Errorf("transfer function: invalid name %q", s)
		}

	case types.Array:

		if len(o) != 4 {
			return fmt.Errorf("transfer function array: invalid length %d, expected 4", len(o))
		}

		for i, o := range o {

			o, err := xRefTable.Dereference(o)
			if err != nil {
				return fmt.Errorf("transfer function array[%d]: dereference: %w", i, err)
			}
			if o == nil {
				continue
			}

			err = processFunction(xRefTable, o)
			if err != nil {
				return fmt.Errorf("transfer function array[%d]: %w", i, err)
			}

		}

	case types.Dict:
		err = processFunction(xRefTable, o)

	case types.StreamDict:
		err = processFunction(xRefTable, o)

	default:
		return fmt.Errorf("transfer function: expected function, name or function array, got %T", o)

	}

	return err
}

func validateTransferFunctionEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		if err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}
		return nil
	}

	if err := validateTransferFunction(xRefTable, o); err != nil {
		return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
	}
	return nil
}

func validateTR(xRefTable *model.XRefTable, o types.Object) (err error) {
	switch o := o.(type) {

	case types.Name:
		s := o.Value()
		if s != "Identity" {
			return fmt.Errorf("TR: invalid name %q", s)
		}

	case types.Array:

		if len(o) != 4 {
			return fmt.Errorf("TR array: invalid length %d, expected 4", len(o))
		}

		for i, o := range o {

			o, err = xRefTable.Dereference(o)
			if err != nil {
				return fmt.Errorf("TR array[%d]: dereference: %w", i, err)
			}

			if o == nil {
				continue
			}

			if o, ok := o.(types.Name); ok {
				s := o.Value()
				if s != "Identity" {
					return fmt.Errorf("TR array[%d]: invalid name %q", i, s)
				}
				continue
			}

			err = processFunction(xRefTable, o)
			if err != nil {
				return fmt.Errorf("TR array[%d]: %w", i, err)
			}

		}

	case types.Dict:
		err = processFunction(xRefTable, o)

	case types.StreamDict:
		err = processFunction(xRefTable, o)

	default:
		return fmt.Errorf("TR: expected function, name or function array, got %T", o)

	}

	return err
}

func validateTREntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		if err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}
		return nil
	}

	if err := validateTR(xRefTable, o); err != nil {
		return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
	}
	return nil
}

func validateTR2Name(name types.Name) error {
	s := name.Value()
	if s != "Identity" && s != "Default" {
		return fmt.Errorf("TR2: invalid name %q", s)
	}
	return nil
}

func validateTR2(xRefTable *model.XRefTable, o types.Object) (err error) {
	switch o := o.(type) {

	case types.Name:
		if err = validateTR2Name(o); err != nil {
			return err
		}

	case types.Array:

		if len(o) != 4 {
			return fmt.Errorf("TR2 array: invalid length %d, expected 4", len(o))
		}

		for i, o := range o {

			o, err = xRefTable.Dereference(o)
			if err != nil {
				return fmt.Errorf("TR2 array[%d]: dereference: %w", i, err)
			}

			if o == nil {
				continue
			}

			if o, ok := o.(types.Name); ok {
				if err = validateTR2Name(o); err != nil {
					return fmt.Errorf("TR2 array[%d]: %w", i, err)
				}
				continue
			}

			err = processFunction(xRefTable, o)
			if err != nil {
				return fmt.Errorf("TR2 array[%d]: %w", i, err)
			}

		}

	case types.Dict:
		err = processFunction(xRefTable, o)

	case types.StreamDict:
		err = processFunction(xRefTable, o)

	default:
		return fmt.Errorf("TR2: expected function, name or function array, got %T", o)

	}

	return err
}

func validateTR2Entry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		if err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}
		return nil
	}

	if err := validateTR2(xRefTable, o); err != nil {
		return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
	}
	return nil
}

func validateSpotFunctionEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		return err
	}

	switch o := o.(type) {

	case types.Name:
		validateSpotFunctionName := func(s string) bool {
			return types.MemberOf(s, []string{
				"SimpleDot", "InvertedSimpleDot", "DoubleDot", "InvertedDoubleDot", "CosineDot",
				"Double", "InvertedDouble", "Line", "LineX", "LineY", "Round", "Ellipse", "EllipseA",
				"InvertedEllipseA", "EllipseB", "EllipseC", "InvertedEllipseC", "Square", "Cross", "Rhomboid"})
		}
		s := o.Value()
		if !validateSpotFunctionName(s) {
			return fmt.Errorf("%s.%s: invalid spot function name %q", dictName, entryName, s)
		}

	case types.Dict:
		if err = processFunction(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	case types.StreamDict:
		if err = processFunction(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	default:
		return fmt.Errorf("%s.%s: expected spot function name or function, got %T", dictName, entryName, o)

	}

	return err
}

func validateType1HalftoneDict(xRefTable *model.XRefTable, d types.Dict, sinceVersion model.Version) error {
	dictName := "type1HalftoneDict"

	// HalftoneName, optional, string
	_, err := validateStringEntry(xRefTable, d, dictName, "HalftoneName", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	// Frequency, required, number
	_, err = validateNumberEntry(xRefTable, d, dictName, "Frequency", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	// Angle, required, number
	_, err = validateNumberEntry(xRefTable, d, dictName, "Angle", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	// SpotFunction, required, function or name
	err = validateSpotFunctionEntry(xRefTable, d, dictName, "SpotFunction", REQUIRED, sinceVersion)
	if err != nil {
		return err
	}

	// TransferFunction, optional, function
	err = validateTransferFunctionEntry(xRefTable, d, dictName, "TransferFunction", OPTIONAL, sinceVersion)
	if err != nil {
		return err
	}

	_, err = validateBooleanEntry(xRefTable, d, dictName, "AccurateScreens", OPTIONAL, sinceVersion, nil)

	return err
}

func validateType5HalftoneDict(xRefTable *model.XRefTable, d types.Dict, sinceVersion model.Version) error {
	dictName := "type5HalftoneDict"

	_, err := validateStringEntry(xRefTable, d, dictName, "HalftoneName", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	for _, c := range []string{"Gray", "Red", "Green", "Blue", "Cyan", "Magenta", "Yellow", "Black"} {
		err = validateHalfToneEntry(xRefTable, d, dictName, c, OPTIONAL, sinceVersion)
		if err != nil {
			return err
		}
	}

	return validateHalfToneEntry(xRefTable, d, dictName, "Default", REQUIRED, sinceVersion)
}

func validateType6HalftoneStreamDict(xRefTable *model.XRefTable, sd *types.StreamDict, sinceVersion model.Version) error {
	dictName := "type6HalftoneDict"

	_, err := validateStringEntry(xRefTable, sd.Dict, dictName, "HalftoneName", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Width", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Height", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	return validateTransferFunctionEntry(xRefTable, sd.Dict, dictName, "TransferFunction", OPTIONAL, sinceVersion)
}

func validateType10HalftoneStreamDict(xRefTable *model.XRefTable, sd *types.StreamDict, sinceVersion model.Version) error {
	dictName := "type10HalftoneDict"

	_, err := validateStringEntry(xRefTable, sd.Dict, dictName, "HalftoneName", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Xsquare", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Ysquare", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	return validateTransferFunctionEntry(xRefTable, sd.Dict, dictName, "TransferFunction", OPTIONAL, sinceVersion)
}

func validateType16HalftoneStreamDict(xRefTable *model.XRefTable, sd *types.StreamDict, sinceVersion model.Version) error {
	dictName := "type16HalftoneDict"

	_, err := validateStringEntry(xRefTable, sd.Dict, dictName, "HalftoneName", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Width", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Height", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Width2", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	_, err = validateIntegerEntry(xRefTable, sd.Dict, dictName, "Height2", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	return validateTransferFunctionEntry(xRefTable, sd.Dict, dictName, "TransferFunction", OPTIONAL, sinceVersion)
}

func validateHalfToneDict(xRefTable *model.XRefTable, d types.Dict, sinceVersion model.Version) error {
	dictName := "halfToneDict"

	// Type, optional, name
	_, err := validateNameEntry(xRefTable, d, dictName, "Type", OPTIONAL, sinceVersion, func(s string) bool { return s == "Halftone" })
	if err != nil {
		return err
	}

	// HalftoneType, required, integer
	halftoneType, err := validateIntegerEntry(xRefTable, d, dictName, "HalftoneType", REQUIRED, sinceVersion, nil)
	if err != nil {
		return err
	}

	switch *halftoneType {

	case 1:
		err = validateType1HalftoneDict(xRefTable, d, sinceVersion)

	case 5:
		err = validateType5HalftoneDict(xRefTable, d, sinceVersion)

	default:
		err = fmt.Errorf("unknown halftoneTyp: %d", *halftoneType)

	}

	return err
}

func validateHalfToneStreamDict(xRefTable *model.XRefTable, sd *types.StreamDict, sinceVersion model.Version) error {
	dictName := "writeHalfToneStreamDict"

	// Type, name, optional
	_, err := validateNameEntry(xRefTable, sd.Dict, dictName, "Type", OPTIONAL, sinceVersion, func(s string) bool { return s == "Halftone" })
	if err != nil {
		return err
	}

	// HalftoneType, required, integer
	halftoneType, err := validateIntegerEntry(xRefTable, sd.Dict, dictName, "HalftoneType", REQUIRED, sinceVersion, nil)
	if err != nil || halftoneType == nil {
		return err
	}

	switch *halftoneType {

	case 6:
		err = validateType6HalftoneStreamDict(xRefTable, sd, sinceVersion)

	case 10:
		err = validateType10HalftoneStreamDict(xRefTable, sd, sinceVersion)

	case 16:
		err = validateType16HalftoneStreamDict(xRefTable, sd, sinceVersion)

	default:
		err = fmt.Errorf("unknown halftoneTyp: %d", *halftoneType)

	}

	return err
}

func validateHalfToneEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) (err error) {
	// See 10.5

	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		return err
	}

	switch o := o.(type) {

	case types.Name:
		if o.Value() != "Default" {
			return fmt.Errorf("%s.%s: invalid halftone name %q", dictName, entryName, o.Value())
		}

	case types.Dict:
		if err = validateHalfToneDict(xRefTable, o, sinceVersion); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	case types.StreamDict:
		if err = validateHalfToneStreamDict(xRefTable, &o, sinceVersion); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	default:
		err = fmt.Errorf("%s.%s: expected halftone dict, stream dict or Default name, got %T", dictName, entryName, o)
	}

	return err
}

func validateBlendModeEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		return err
	}

	switch o := o.(type) {

	case types.Name:
		_, err = xRefTable.DereferenceName(o, sinceVersion, validateBlendMode)
		if err != nil {
			return err
		}

	case types.Array:
		for i, o := range o {
			_, err = xRefTable.DereferenceName(o, sinceVersion, validateBlendMode)
			if err != nil {
				return fmt.Errorf("%s.%s[%d]: %w", dictName, entryName, i, err)
			}
		}

	default:
		return fmt.Errorf("%s.%s: expected name or array, got %T", dictName, entryName, o)

	}

	return nil
}

func validateSoftMaskTransferFunctionEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		return err
	}

	switch o := o.(type) {

	case types.Name:
		s := o.Value()
		if s != "Identity" {
			return fmt.Errorf("%s.%s: invalid transfer function name %q", dictName, entryName, s)
		}

	case types.Dict:
		if err = processFunction(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	case types.StreamDict:
		if err = processFunction(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	default:
		return fmt.Errorf("%s.%s: expected function or Identity name, got %T", dictName, entryName, o)

	}

	return err
}

func validateSoftMaskDict(xRefTable *model.XRefTable, d types.Dict) error {
	// see 11.6.5.2

	dictName := "softMaskDict"

	// Type, name, optional
	_, err := validateNameEntry(xRefTable, d, dictName, "Type", OPTIONAL, model.V10, func(s string) bool { return s == "Mask" })
	if err != nil {
		return err
	}

	// S, name, required
	_, err = validateNameEntry(xRefTable, d, dictName, "S", REQUIRED, model.V10, func(s string) bool { return s == "Alpha" || s == "Luminosity" })
	if err != nil {
		return err
	}

	// G, stream, required
	// A transparency group XObject (see “Transparency Group XObjects”)
	// to be used as the source of alpha or colour values for deriving the mask.
	sd, err := validateStreamDictEntry(xRefTable, d, dictName, "G", REQUIRED, model.V10, nil)
	if err != nil {
		return err
	}

	if sd != nil {
		err = validateXObjectStreamDict(xRefTable, *sd)
		if err != nil {
			return err
		}
	}

	// TR (Optional) function or name
	// A function object (see “Functions”) specifying the transfer function
	// to be used in deriving the mask values.
	err = validateSoftMaskTransferFunctionEntry(xRefTable, d, dictName, "TR", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// BC, number array, optional
	// Array of component values specifying the colour to be used
	// as the backdrop against which to composite the transparency group XObject G.
	_, err = validateNumberArrayEntry(xRefTable, d, dictName, "BC", OPTIONAL, model.V10, nil)

	return err
}

func validateSoftMaskEntry(xRefTable *model.XRefTable, d types.Dict, dictName string, entryName string, required bool, sinceVersion model.Version) error {
	// see 11.3.7.2 Source Shape and Opacity
	// see 11.6.4.3 Mask Shape and Opacity

	o, err := validateEntry(xRefTable, d, dictName, entryName, required, sinceVersion)
	if err != nil || o == nil {
		return err
	}

	switch o := o.(type) {

	case types.Name:
		s := o.Value()
		if !validateBlendMode(s) {
			return fmt.Errorf("%s.%s: invalid soft mask name %q", dictName, entryName, s)
		}

	case types.Dict:
		if err = validateSoftMaskDict(xRefTable, o); err != nil {
			return fmt.Errorf("%s.%s: %w", dictName, entryName, err)
		}

	default:
		err = fmt.Errorf("%s.%s: expected name or soft mask dict, got %T", dictName, entryName, o)

	}

	return err
}

func validateExtGStateDictPart1(xRefTable *model.XRefTable, d types.Dict, dictName string) error {
	// LW, number, optional, since V1.3
	_, err := validateNumberEntry(xRefTable, d, dictName, "LW", OPTIONAL, model.V13, nil)
	if err != nil {
		return err
	}

	// LC, integer, optional, since V1.3
	_, err = validateIntegerEntry(xRefTable, d, dictName, "LC", OPTIONAL, model.V13, nil)
	if err != nil {
		return err
	}

	// LJ, integer, optional, since V1.3
	_, err = validateIntegerEntry(xRefTable, d, dictName, "LJ", OPTIONAL, model.V13, nil)
	if err != nil {
		return err
	}

	// ML, number, optional, since V1.3
	_, err = validateNumberEntry(xRefTable, d, dictName, "ML", OPTIONAL, model.V13, nil)
	if err != nil {
		return err
	}

	// D, array, optional, since V1.3, [dashArray dashPhase(integer)]
	err = validateLineDashPatternEntry(xRefTable, d, dictName, "D", OPTIONAL, model.V13)
	if err != nil {
		return err
	}

	// RI, name, optional, since V1.3
	_, err = validateNameEntry(xRefTable, d, dictName, "RI", OPTIONAL, model.V13, nil)
	if err != nil {
		return err
	}

	// OP, boolean, optional,
	_, err = validateBooleanEntry(xRefTable, d, dictName, "OP", OPTIONAL, model.V10, nil)
	if err != nil {
		return err
	}

	// op, boolean, optional, since V1.3
	sinceVersion := model.V13
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V12
	}
	_, err = validateBooleanEntry(xRefTable, d, dictName, "op", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	// OPM, integer, optional, since V1.3
	sinceVersion = model.V13
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V12
	}
	opm, err := validateIntegerEntry(xRefTable, d, dictName, "OPM", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}
	if opm != nil && xRefTable.ValidationMode == model.ValidationRelaxed && xRefTable.Version() < model.V13 {
		showDigestedVersionViolation(xRefTable, "dict="+dictName+" entry=OPM")
	}

	// Font, array, optional, since V1.3
	_, err = validateArrayEntry(xRefTable, d, dictName, "Font", OPTIONAL, model.V13, nil)

	return err
}

func validateExtGStateDictPart2(xRefTable *model.XRefTable, d types.Dict, dictName string) error {
	// BG, function, optional, black-generation function, see 10.3.4
	err := validateBGEntry(xRefTable, d, dictName, "BG", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// BG2, function or name(/Default), optional, since V1.3
	err = validateBG2Entry(xRefTable, d, dictName, "BG2", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// UCR, function, optional, undercolor-removal function, see 10.3.4
	err = validateUCREntry(xRefTable, d, dictName, "UCR", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// UCR2, function or name(/Default), optional, since V1.3
	err = validateUCR2Entry(xRefTable, d, dictName, "UCR2", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// TR, function, array of 4 functions or name(/Identity), optional, see 10.4 transfer functions
	err = validateTREntry(xRefTable, d, dictName, "TR", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// TR2, function, array of 4 functions or name(/Identity,/Default), optional, since V1.3
	err = validateTR2Entry(xRefTable, d, dictName, "TR2", OPTIONAL, model.V10)
	if err != nil {
		return err
	}

	// HT, dict, stream or name, optional
	// half tone dictionary or stream or /Default, see 10.5
	sinceVersion := model.V12
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V11
	}
	err = validateHalfToneEntry(xRefTable, d, dictName, "HT", OPTIONAL, sinceVersion)
	if err != nil {
		return err
	}

	// FL, number, optional, since V1.3, flatness tolerance, see 10.6.2
	_, err = validateNumberEntry(xRefTable, d, dictName, "FL", OPTIONAL, model.V13, nil)
	if err != nil {
		return err
	}

	// SM, number, optional, since V1.3, smoothness tolerance
	sinceVersion = model.V13
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V12
	}
	_, err = validateNumberEntry(xRefTable, d, dictName, "SM", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	// SA, boolean, optional, see 10.6.5 Automatic Stroke Adjustment
	_, err = validateBooleanEntry(xRefTable, d, dictName, "SA", OPTIONAL, model.V10, nil)

	return err
}

func validateExtGStateDictPart3(xRefTable *model.XRefTable, d types.Dict, dictName string) error {
	// BM, name or array, optional, since V1.4
	sinceVersion := model.V14
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V12
	}
	err := validateBlendModeEntry(xRefTable, d, dictName, "BM", OPTIONAL, sinceVersion)
	if err != nil {
		return err
	}

	// SMask, dict or name, optional, since V1.4
	sinceVersion = model.V14
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V13
	}
	err = validateSoftMaskEntry(xRefTable, d, dictName, "SMask", OPTIONAL, sinceVersion)
	if err != nil {
		return err
	}

	// CA, number, optional, since V1.4, current stroking alpha constant, see 11.3.7.2 and 11.6.4.4
	sinceVersion = model.V14
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V13
	}
	_, err = validateNumberEntry(xRefTable, d, dictName, "CA", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	// ca, number, optional, since V1.4, same as CA but for nonstroking operations.
	sinceVersion = model.V14
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V11
	}
	_, err = validateNumberEntry(xRefTable, d, dictName, "ca", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	// AIS, alpha source flag "alpha is shape", boolean, optional, since V1.4
	sinceVersion = model.V14
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V13
	}
	_, err = validateBooleanEntry(xRefTable, d, dictName, "AIS", OPTIONAL, sinceVersion, nil)
	if err != nil {
		return err
	}

	// TK, boolean, optional, since V1.4, text knockout flag.
	sinceVersion = model.V14
	if xRefTable.ValidationMode == model.ValidationRelaxed {
		sinceVersion = model.V13
	}
	_, err = validateBooleanEntry(xRefTable, d, dictName, "TK", OPTIONAL, sinceVersion, nil)

	return err
}

func validateExtGStateDict(xRefTable *model.XRefTable, o types.Object) error {
	d, err := xRefTable.DereferenceDict(o)
	if err != nil {
		return fmt.Errorf("ExtGState: dereference dict: %w", err)
	}
	if d == nil {
		if xRefTable.ValidationMode == model.ValidationRelaxed {
			return nil
		}
		return fmt.Errorf("ExtGState: missing dict")
	}

	dictName := "extGStateDict"

	// Type, name, optional
	_, err = validateNameEntry(xRefTable, d, dictName, "Type", OPTIONAL, model.V10, func(s string) bool { return s == "ExtGState" })
	if err != nil {
		return fmt.Errorf("ExtGState.Type: %w", err)
	}

	err = validateExtGStateDictPart1(xRefTable, d, dictName)
	if err != nil {
		return fmt.Errorf("ExtGState graphics state parameters: %w", err)
	}

	err = validateExtGStateDictPart2(xRefTable, d, dictName)
	if err != nil {
		return fmt.Errorf("ExtGState transfer and halftone parameters: %w", err)
	}

	err = validateExtGStateDictPart3(xRefTable, d, dictName)
	if err != nil {
		return fmt.Errorf("ExtGState transparency parameters: %w", err)
	}

	// Check for AAPL extensions.
	o, _, err = d.Entry(dictName, "AAPL:AA", OPTIONAL)
	if err != nil {
		return fmt.Errorf("ExtGState.AAPL:AA: %w", err)
	}
	if o != nil {
		xRefTable.CustomExtensions = true
	}

	return nil
}

func validateExtGStateResourceDict(xRefTable *model.XRefTable, o types.Object, sinceVersion model.Version) error {
	d, err := xRefTable.DereferenceDict(o)
	if err != nil {
		return fmt.Errorf("ExtGState resource dict: dereference dict: %w", err)
	}
	if d == nil {
		if xRefTable.ValidationMode == model.ValidationRelaxed {
			return nil
		}
		return fmt.Errorf("ExtGState resource dict: missing dict")
	}

	// Version check
	err = xRefTable.ValidateVersion("ExtGStateResourceDict", sinceVersion)
	if err != nil {
		return fmt.Errorf("ExtGState resource dict: version: %w", err)
	}

	// Iterate over extGState resource dictionary
	for name, o := range d {
		// Process extGStateDict
		err = validateExtGStateDict(xRefTable, o)
		if err != nil {
			return fmt.Errorf("%s: %w", objectContext(fmt.Sprintf("ExtGState resource %s", name), o), err)
		}

	}

	return nil
}
