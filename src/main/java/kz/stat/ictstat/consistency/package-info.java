/**
 * Consistency over the years: breaks registry, series checks, micro-editing, comparable territory.
 */
package kz.stat.ictstat.consistency;
