/** Estimates of every indicator × domain × year with their precision, in one pass. */
package kz.stat.ictstat.estimation;
