package io.dualrank.train;

import io.dualrank.data.TeacherScores;
import java.util.Map;

/**
 * What training reads: the group sampler, the texts of the queries and documents it can draw, and, for
 * distillation, the teacher's scores of every (query, document) pair a group can hold.
 */
public record TrainingData(GroupSampler sampler, Map<String, String> queryTexts, Map<String, String> documentTexts,
    TeacherScores teacher) {}
