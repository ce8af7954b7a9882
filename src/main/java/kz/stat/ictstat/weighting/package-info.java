/** The design of each year (strata, respondents, lonely strata) and the weights of respondents. */
package kz.stat.ictstat.weighting;
