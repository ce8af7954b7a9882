# Golden values for the estimation of ictstat, computed with R `survey` (Lumley), independently of
# the Java code. The Java test kz.stat.ictstat.estimation.GoldenTest compares its estimates and
# standard errors to these values (1e-9 relative).
#
# Input:  src/test/resources/golden/units.csv  (32 respondents of 8 strata of one year: a lonely
#         stratum C|small|19 (N = 30, one respondent), a take-all stratum with full response
#         C|large|11, a take-all stratum with non-response G|medium|15, a certainty unit
#         G|medium|11 (N = 1); ownership cuts across strata; one missing answer to b)
# Output: src/test/resources/golden/expected.csv  (policy, indicator, domain_type, domain_code,
#         estimate, se; NA where a ratio is undefined) and expected_ci.csv (logit CI of a share).
#
# Rerun (Debian: apt-get install -y r-base-core r-cran-survey), from the repository root:
#   Rscript src/test/r/golden.R
# then commit the two CSVs. CI runs only the Java side against the committed CSVs.
#
# Indicators (as the Java test defines them):
#   count_b      count  numerator b (missing -> 0)                 svytotal(~b0)
#   total_y      total  numerator y                                 svytotal(~y)
#   share_b      share  numerator b (missing excluded from both)    svyratio(~b0, ~valid)
#   ratio_yx     ratio  y / x                                       svyratio(~y, ~x)
#   share_b_c    share  b, population section = 'C'                 svyratio(~b0*pop, ~valid*pop)
# Lonely-stratum policies: certainty and average are R's options(survey.lonely.psu); collapse is
# the design with strata recoded to the variance groups (C|small|19 pooled with C|small|15, the
# region before it, as it has no next region), fpc = N of the pooled group, the original weights.
# `fail` makes R stop ("Stratum (C|small|19) has only one PSU"), as the Java code does.
suppressMessages(library(survey))

dir <- "src/test/resources/golden"
d <- read.csv(file.path(dir, "units.csv"), colClasses = "character")
for (v in c("N", "y", "x")) d[[v]] <- as.numeric(d[[v]])
d$b <- suppressWarnings(as.numeric(d$b))
d$r <- ave(d$N, d$stratum, FUN = length)
d$w <- d$N / d$r
d$valid <- as.numeric(!is.na(d$b))
d$b0 <- ifelse(is.na(d$b), 0, d$b)
d$pop <- as.numeric(d$section == "C")
d$bpop <- d$b0 * d$pop
d$vpop <- d$valid * d$pop
d$all <- "_T"
d$section_size <- paste(d$section, d$size_class, sep = "|")
d$region_ownership <- paste(d$region, d$ownership, sep = "|")
d$vgroup <- ifelse(d$stratum %in% c("C|small|15", "C|small|19"), "C|small|15+C|small|19",
                   d$stratum)
d$Ng <- ave(ifelse(duplicated(d$stratum), 0, d$N), d$vgroup, FUN = sum)

std <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N, data = d)
col <- svydesign(ids = ~1, strata = ~vgroup, fpc = ~Ng, weights = ~w, data = d)

domains <- c(total = "all", region = "region", ownership = "ownership",
             section_size = "section_size", region_ownership = "region_ownership")

rows <- list()
add <- function(policy, ind, dt, res) {
  est <- coef(res)
  se <- SE(res)
  rows[[length(rows) + 1]] <<- data.frame(policy = policy, indicator = ind, domain_type = dt,
    domain_code = sub(":.*$", "", names(est)), estimate = as.numeric(est), se = as.numeric(se))
}
run <- function(policy, des) {
  for (dt in names(domains)) {
    by <- as.formula(paste0("~", domains[[dt]]))
    add(policy, "count_b", dt, svyby(~b0, by, des, svytotal))
    add(policy, "total_y", dt, svyby(~y, by, des, svytotal))
    add(policy, "share_b", dt, svyby(~b0, by, des, svyratio, denominator = ~valid))
    add(policy, "ratio_yx", dt, svyby(~y, by, des, svyratio, denominator = ~x))
    add(policy, "share_b_c", dt, svyby(~bpop, by, des, svyratio, denominator = ~vpop))
  }
}
options(survey.lonely.psu = "certainty"); run("certainty", std)
options(survey.lonely.psu = "average");   run("average", std)
options(survey.lonely.psu = "fail");      run("collapse", col)
stopifnot(inherits(try(svytotal(~y, std), silent = TRUE), "try-error"))

out <- do.call(rbind, rows)
fmt <- function(v) ifelse(is.finite(v), sprintf("%.17g", v), "NA")
out$estimate <- fmt(out$estimate)
out$se <- fmt(out$se)
write.csv(out, file.path(dir, "expected.csv"), row.names = FALSE, quote = FALSE)

# Logit interval of the national share (normal quantile: df = Inf).
options(survey.lonely.psu = "certainty")
ci <- svyciprop(~b0, subset(std, valid == 1), method = "logit", df = Inf)
cis <- attr(ci, "ci")
write.csv(data.frame(policy = "certainty", indicator = "share_b", domain_type = "total",
                     domain_code = "_T", ci_low = fmt(cis[1]), ci_high = fmt(cis[2])),
          file.path(dir, "expected_ci.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "golden rows\n")
