/**
 * The reserved level names the categorical steps write: a pooled rare level
 * and an explicit missing level. Parenthesised so that they do not collide
 * with ordinary data values.
 *
 * @module
 */

/** The pooled level of rare categories (one-hot column, WoE bin). */
export const OTHER_LEVEL = "(other)";

/** The level that stands for "value was missing" under the explicit imputation strategy. */
export const MISSING_LEVEL = "(missing)";
