/**
 * Executes the analyst notebooks (Java cells through JShell, {@code %%sql} cells through Spark
 * SQL).
 */
package kz.stat.ictstat.notebook;
