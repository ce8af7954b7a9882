/** Controls (edit rules) as data: rule files, load-time checks, one pass for all years, results. */
package kz.stat.ictstat.controls;
