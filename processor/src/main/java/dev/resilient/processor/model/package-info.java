/**
 * What the processor has read and validated: immutable records describing one wrapper to write.
 * Nothing here reports errors or writes code.
 */
package dev.resilient.processor.model;
