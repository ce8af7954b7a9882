/** Consistency over the years: breaks registry, series checks, micro-editing. */
package kz.stat.ictstat.consistency;
