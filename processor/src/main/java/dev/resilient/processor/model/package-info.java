/**
 * What the processor has read and validated: immutable records describing one wrapper to write,
 * down to the names of its members and the shape of each method. Nothing here reports errors or
 * writes code.
 */
package dev.resilient.processor.model;
