def test_an_answer_of_the_wrong_json_type_is_refused_not_stored(client, geography):
    survey = survey_make()
    body = {"municipality": TOWN, "answers": {"plays": "no", "age": [9], "why": {"a": 1}}}
    response = _post(client, survey, body)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"age", "why"}
    assert not SurveyResponse.objects.exists()
