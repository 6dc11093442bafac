/**
 * The preparation steps, in the order they fit and apply: each name (its
 * option key) maps to the definition that implements it. Adding a step is one
 * file exporting a {@link StepDefinition} and one line here; the
 * preparation's options, JSON and report follow from this list.
 *
 * @module
 */
import { clipStep } from "./clip.ts";
import { imputeStep } from "./impute.ts";
import { onehotStep } from "./onehot.ts";
import { scaleStep } from "./scale.ts";
import { selectionStep } from "./selection.ts";
import { transformStep } from "./skew.ts";
import type { FittedStep, StepDefinition } from "./step.ts";
import { binningStep } from "./woe.ts";

/** The registered steps, in order. */
export const STEPS = [
  imputeStep,
  clipStep,
  transformStep,
  binningStep,
  selectionStep,
  onehotStep,
  scaleStep,
] as const;

/** A registered step with its option, fitted and report types erased, for code that walks the list. */
export type AnyStep = StepDefinition<string, unknown, unknown, FittedStep, object>;
