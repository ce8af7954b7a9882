# Estimation benchmark, R `survey` side: every indicator x domain x year of the prepared input of
# scripts/bench-estimation.sh (units.csv, design.csv, indicators.csv written by EstimationBench
# prepare), with the textbook calls: one svydesign per year (strata = variance group, i.e. the
# stratum or the pooled strata of a collapsed lonely stratum; fpc = N of the group; weights =
# final_weight), svyby(~y, ~domain, svytotal) for counts and totals (all of them in one call per
# domain) and svyby(~y, ~domain, svyratio, denominator = ~x) per share/ratio indicator.
# Item non-response and the indicator's population: y = x = 0 outside (zero extension), as the
# Java code. Single-unit groups contribute no variance (survey.lonely.psu = "certainty").
#
# Usage: Rscript bench/estimation.R <dir> <runs>
# Writes <dir>/result_r.csv (year, indicator, domain_type, domain_code, estimate, se) and
# <dir>/times_r.csv (engine, run, seconds). No warm-up run: R has no JIT to warm, and the package
# is loaded before the clock starts. Optional third argument: years to estimate (e.g. 2024 or
# 2020-2024) when the full range takes too long; the report says which years R covered.
suppressMessages(library(survey))
options(survey.lonely.psu = "certainty")
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
runs <- as.integer(if (length(args) > 1) args[2] else "3")
yrs <- if (length(args) > 2) as.integer(strsplit(args[3], "-")[[1]]) else c(0L, 9999L)
if (length(yrs) == 1) yrs <- c(yrs, yrs)

domains <- list(total = character(0), region = "region", section = "section",
                size = "size_class", ownership = "ownership", sector = "sector",
                region_section = c("region", "section"), section_size = c("section", "size_class"))

estimate <- function() {
  d <- read.csv(file.path(dir, "units.csv"), colClasses = c(region = "character",
                section = "character", size_class = "character", ownership = "character",
                sector = "character", stratum = "character", var_group = "character"))
  meta <- read.csv(file.path(dir, "indicators.csv"), stringsAsFactors = FALSE)
  meta$is_ratio <- tolower(as.character(meta$is_ratio)) == "true"
  nind <- nrow(meta)
  for (i in seq_len(nind) - 1) {
    k <- d[[paste0("k_", i)]] == 1
    y <- d[[paste0("y_", i)]]
    x <- d[[paste0("x_", i)]]
    ok <- k & !is.na(y) & !is.na(x)
    d[[paste0("Y", i)]] <- ifelse(ok, y, 0)
    d[[paste0("X", i)]] <- ifelse(ok, x, 0)
    d[[paste0("K", i)]] <- as.numeric(k)
  }
  for (dt in names(domains)) {
    by <- domains[[dt]]
    d[[paste0("dom_", dt)]] <- if (length(by) == 0) "_T" else do.call(paste, c(d[by], sep = "|"))
  }
  totals <- which(!meta$is_ratio) - 1
  ratios <- which(meta$is_ratio) - 1
  out <- list()
  for (yr in sort(unique(d$year[d$year >= yrs[1] & d$year <= yrs[2]]))) {
    dy <- d[d$year == yr, ]
    des <- svydesign(ids = ~1, strata = ~var_group, fpc = ~frame_g, weights = ~final_weight,
                     data = dy)
    for (dt in names(domains)) {
      byf <- as.formula(paste0("~dom_", dt))
      ft <- as.formula(paste0("~", paste0("Y", totals, collapse = "+")))
      r <- svyby(ft, byf, des, svytotal, keep.var = TRUE)
      est <- coef(r)
      # aligned with coef() (SE() of several variables is a table by domain and variable)
      se <- suppressWarnings(sqrt(diag(as.matrix(vcov(r)))))
      nm <- names(est)
      v <- as.integer(sub("^Y", "", sub("^.*:", "", nm)))
      # rows only where the indicator's population has a unit in the cell (as the Java code)
      code <- sub(":[^:]*$", "", nm)
      out[[length(out) + 1]] <- data.frame(year = yr, ind = v, domain_type = dt,
                                           domain_code = code, estimate = as.numeric(est),
                                           se = as.numeric(se), stringsAsFactors = FALSE)
      for (i in ratios) {
        if (!any(dy[[paste0("K", i)]] > 0)) next
        r <- svyby(as.formula(paste0("~Y", i)), byf, des, svyratio,
                   denominator = as.formula(paste0("~X", i)))
        est <- coef(r)
        out[[length(out) + 1]] <- data.frame(year = yr, ind = i, domain_type = dt,
                                             domain_code = sub(":[^:]*$", "", names(est)),
                                             estimate = as.numeric(est),
                                             se = suppressWarnings(sqrt(diag(as.matrix(vcov(r))))),
                                             stringsAsFactors = FALSE)
      }
    }
  }
  res <- do.call(rbind, out)
  res$indicator <- meta$indicator[res$ind + 1]
  sc <- meta$scale[res$ind + 1]
  res$estimate <- res$estimate * sc
  res$se <- res$se * sc
  res[, c("year", "indicator", "domain_type", "domain_code", "estimate", "se")]
}

times <- c()
for (r in seq_len(runs)) {
  t0 <- proc.time()[["elapsed"]]
  res <- estimate()
  s <- proc.time()[["elapsed"]] - t0
  cat(sprintf("r      run %d: %.3f s\n", r, s))
  times <- c(times, s)
}
write.csv(res, file.path(dir, "result_r.csv"), row.names = FALSE, na = "")
write.csv(data.frame(engine = "r", run = seq_len(runs), seconds = times),
          file.path(dir, "times_r.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("r_version,%s,0\nsurvey_version,%s,0\nr_years,%s,0\n", R.version.string,
            as.character(packageVersion("survey")), paste(range(res$year), collapse = "-")),
    file = file.path(dir, "versions_r.csv"))
