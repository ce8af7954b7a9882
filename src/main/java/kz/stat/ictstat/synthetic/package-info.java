/** The synthetic population: registers, samples, response files and truth for 2004 onwards. */
package kz.stat.ictstat.synthetic;
