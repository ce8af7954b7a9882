/** Controls (edit rules) as data: rule files, load-time checks, one pass per year, results. */
package kz.stat.ictstat.controls;
