/**
 * Called by generated wrappers only. Binary-stable for them, but not an API for hand-written code.
 */
package dev.resilient.runtime.internal;
