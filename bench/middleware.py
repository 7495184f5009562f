"""Bench-only: each response says in `X-Bench-Queries` how many SQL queries its request ran."""

from django.db import connection

HEADER = "X-Bench-Queries"


def count_queries(get_response):
    def middleware(request):
        queries = 0

        def counting(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = get_response(request)
        response[HEADER] = str(queries)
        return response

    return middleware
